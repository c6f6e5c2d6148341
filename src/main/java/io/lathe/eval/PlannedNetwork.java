package io.lathe.eval;

import io.lathe.compress.CompressedModel;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A model with a plan applied to a copy and its BatchNorm calibrated as the plan says: what
 * {@code eval --plan} and the allocation's comparison measure. It predicts any range of images that
 * starts on a batch boundary in the same batches as a whole evaluation would, so ranges measured apart
 * (by tasks on several machines) give exactly the predictions of one run. Not thread-safe (one DL4J
 * network).
 */
public final class PlannedNetwork {
    private final LoadedModel model;
    private final CompressedModel compressed;
    private final ComputationGraph graph;

    private PlannedNetwork(LoadedModel model, CompressedModel compressed, ComputationGraph graph) {
        this.model = model;
        this.compressed = compressed;
        this.graph = graph;
    }

    /** The unchanged model, on a copy of its network (so several of these may run on several threads). */
    public static PlannedNetwork unchanged(LoadedModel model) {
        return new PlannedNetwork(model, null, model.copyGraph());
    }

    /**
     * Applies {@code plan} and calibrates BatchNorm on {@code training} when the plan asks for it
     * (null training: the plan must not).
     */
    public static PlannedNetwork build(PlanApplier applier, Plan plan, LabeledImages training, Progress progress) {
        CompressedModel cm = applier.apply(plan);
        BnReestimator.calibrate(cm.graph(), applier.tree(), plan, training, progress);
        return new PlannedNetwork(applier.model(), cm, cm.graph());
    }

    /** The compressed model (its statistics, layers and network); null for {@link #unchanged}. */
    public CompressedModel compressed() {
        return compressed;
    }

    /** Top-1, per class and confusion on every image of {@code images}. */
    public Evaluation evaluate(LabeledImages images, Progress progress) {
        return Evaluator.evaluate(graph, model, images, progress);
    }

    /**
     * Predicted classes of images {@code from} (inclusive, a multiple of {@link Predictor#DEFAULT_BATCH})
     * to {@code to} (exclusive), batched as {@link #evaluate} batches them.
     */
    public int[] predict(LabeledImages images, int from, int to, Progress progress) {
        if (from % Predictor.DEFAULT_BATCH != 0) {
            throw new IllegalArgumentException("a range must start on a batch boundary (a multiple of "
                    + Predictor.DEFAULT_BATCH + "), not at image " + from);
        }
        Evaluator.checkShape(model, images);
        LabeledImages part = from == 0 && to == images.size() ? images : images.slice(from, to, images.name());
        return Predictor.predict(graph, part, Predictor.DEFAULT_BATCH, model.channelsLast(), progress);
    }
}
