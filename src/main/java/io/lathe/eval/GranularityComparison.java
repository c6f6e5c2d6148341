package io.lathe.eval;

import io.lathe.compress.CompressedModel;
import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoadException;
import io.lathe.structure.StructuredCompressor;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Accuracy versus sparsity for element, block and channel granularity on one layer or on the whole
 * model, each point with measured latency: element and block pruning run the masked (still dense)
 * network, channel pruning runs the physically smaller one. Answers "fine-grained keeps accuracy,
 * coarse-grained runs faster" on the user's own model, without fine-tuning. Engine thread only.
 */
public final class GranularityComparison {
    private GranularityComparison() {
    }

    /**
     * One measured configuration.
     *
     * @param sparsity      requested fraction removed (of weights, blocks or channels)
     * @param weightSparsity zero fraction of the weights in scope, as applied
     * @param top1          accuracy on the images given
     * @param batch64Ms     measured median latency at batch 64
     * @param denseBatch64Ms the dense model's median, measured alternately in the same run
     * @param params        parameters of the network that ran (fewer only for channel pruning)
     */
    public record Point(double sparsity, double weightSparsity, double top1, double batch64Ms, double denseBatch64Ms,
                        long params) {
        /** Dense latency over this point's latency. */
        public double speedup() {
            return denseBatch64Ms / batch64Ms;
        }
    }

    /** One curve. */
    public record Series(Granularity granularity, List<Point> points) {
    }

    /**
     * The comparison.
     *
     * @param scope     the layer compared, or "whole model"
     * @param denseTop1 the unpruned model's accuracy on the same images
     * @param images    images evaluated per point
     * @param blockShape block shape used for block granularity
     * @param series    element, block and channel curves
     */
    public record Result(String scope, double denseTop1, int images, String blockShape, List<Series> series) {
    }

    /**
     * Measures every granularity at every sparsity.
     *
     * @param layer   one prunable layer, or null for every weight layer except the classifier
     * @param repeats timed batch-64 calls per point
     */
    public static Result run(LoadedModel model, LayerTree tree, String layer, double[] sparsities,
                             LabeledImages images, int repeats, Progress progress) throws ModelLoadException {
        return run(model, tree, layer, sparsities, images, repeats, progress, r -> { });
    }

    /**
     * Measures every granularity at every sparsity, telling {@code onPoint} (on the calling thread) the
     * result so far after the dense accuracy and after every point; the last call holds every point.
     */
    public static Result run(LoadedModel model, LayerTree tree, String layer, double[] sparsities,
                             LabeledImages images, int repeats, Progress progress, Consumer<Result> onPoint)
            throws ModelLoadException {
        if (layer != null) {
            LayerInfo info = tree.layer(layer);
            if (info == null || !info.prunable() || info.kind() == LayerKind.OUTPUT) {
                throw new IllegalArgumentException("'" + layer + "' is not a prunable conv/dense layer (the "
                        + "classifier cannot lose channels); pick one from the layer tree");
            }
        }
        PlanApplier applier = new PlanApplier(model, tree);
        Granularity[] gs = Granularity.values();
        int total = gs.length * sparsities.length;
        double denseShare = 1.0 / (total + 1);
        progress.update(0, "measuring the unpruned model on " + images.size() + " images");
        double dense = Evaluator.evaluate(model.graph(), model, images, progress.range(0, denseShare)).top1();
        String scope = layer == null ? "whole model" : layer;
        List<Series> out = new ArrayList<>();
        onPoint.accept(new Result(scope, dense, images.size(), PruneSetting.NONE.blockShape(), List.of()));
        Progress rest = progress.range(denseShare, 1);
        int done = 0;
        for (Granularity g : gs) {
            List<Point> points = new ArrayList<>();
            for (double s : sparsities) {
                progress.checkCancelled();
                Progress step = rest.range((double) done / total, (done + 1.0) / total);
                Plan plan = plan(model, tree, layer, PruneSetting.sparsity(g, s));
                CompressedModel masked = applier.apply(plan);
                ComputationGraph net = masked.graph();
                if (g == Granularity.CHANNEL) {
                    net = StructuredCompressor.apply(model, tree, plan, 1, Progress.none()).model().graph();
                }
                double top1 = Evaluator.evaluate(net, model, images, step.range(0, 0.7)).top1();
                PairedLatency.Result lat = PairedLatency.measure(model.graph(), net, model.inputShape(),
                        model.channelsLast(), 64, 2, repeats, step.range(0.7, 1));
                points.add(new Point(s, scopeSparsity(masked, layer), top1, lat.second().medianMs(),
                        lat.first().medianMs(), net.numParams()));
                done++;
                rest.update((double) done / total, String.format("%s %.0f%%: top-1 %.4f", g.key(), 100 * s, top1));
                List<Series> sofar = new ArrayList<>(out);
                sofar.add(new Series(g, List.copyOf(points)));
                onPoint.accept(new Result(scope, dense, images.size(), PruneSetting.NONE.blockShape(), List.copyOf(sofar)));
            }
            out.add(new Series(g, List.copyOf(points)));
        }
        return new Result(scope, dense, images.size(), PruneSetting.NONE.blockShape(), List.copyOf(out));
    }

    /** A plan pruning one layer, or every weight layer except the classifier, with {@code p}. */
    static Plan plan(LoadedModel model, LayerTree tree, String layer, PruneSetting p) {
        Plan plan = Plan.empty(model.name(), model.sha256());
        if (layer != null) {
            return plan.with(layer, LayerSettings.INHERIT.withPrune(p));
        }
        plan = plan.withDefaults(p, QuantSetting.NONE);
        for (LayerInfo l : tree.prunableLayers()) {
            if (l.kind() == LayerKind.OUTPUT) {
                plan = plan.with(l.name(), LayerSettings.INHERIT.withPrune(PruneSetting.NONE));
            }
        }
        return plan;
    }

    private static double scopeSparsity(CompressedModel m, String layer) {
        if (layer != null) {
            return m.layers().get(layer).sparsity();
        }
        long zeros = 0;
        long all = 0;
        for (var l : m.layers().values()) {
            if (!l.prune().isNone()) {
                zeros += Math.round(l.sparsity() * l.layout().size());
                all += l.layout().size();
            }
        }
        return all == 0 ? 0 : (double) zeros / all;
    }
}
