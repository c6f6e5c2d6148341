package io.lathe.sensitivity;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

/**
 * The reference sweep: for every variant, the whole network runs over every image with Lathe's tuned
 * engine ({@link Predictor}). Slow but obviously right; the fast engine must agree with it exactly.
 */
public final class NaiveSweepEngine implements SweepEngine {
    private final PlanApplier applier;
    private final LabeledImages images;
    private final int batch;
    private final ComputationGraph work;

    public NaiveSweepEngine(PlanApplier applier, LabeledImages images, int batch) {
        this.applier = applier;
        this.images = images;
        this.batch = batch;
        this.work = applier.model().copyGraph();
    }

    @Override
    public int[] baseline(Progress progress) {
        return Predictor.predict(work, images, batch, applier.model().channelsLast(), progress);
    }

    @Override
    public void run(String layer, List<CompressedLayer> variants, VariantSink sink, Progress progress) {
        Variants.runEach(applier, work, layer, variants, sink, progress, p -> Predictor.predict(work, images, batch, applier.model().channelsLast(), p));
    }

    @Override
    public String name() {
        return "naive";
    }
}
