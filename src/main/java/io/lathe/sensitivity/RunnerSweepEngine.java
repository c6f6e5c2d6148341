package io.lathe.sensitivity;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.eval.SuffixRunner;
import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

/**
 * A sweep engine over the shared {@link SuffixRunner} (the live preview's engine): each variant is
 * written into one working copy and predicted from the runner's latest cached single-tensor cut
 * before the changed layer. Exact like the others; slower than {@link SuffixSweepEngine} for sweeps
 * because its cuts sit at block boundaries (a block's second convolution re-runs the first) and its
 * batches are fixed at {@code Predictor.DEFAULT_BATCH}. Kept as a cross-check of both engines.
 */
public final class RunnerSweepEngine implements SweepEngine {
    private final PlanApplier applier;
    private final SuffixRunner runner;
    private final ComputationGraph work;

    public RunnerSweepEngine(PlanApplier applier, LabeledImages images, long memoryBudgetBytes) {
        this.applier = applier;
        this.runner = new SuffixRunner(applier.model(), applier.tree(), images, memoryBudgetBytes);
        this.work = applier.model().copyGraph();
    }

    @Override
    public int[] baseline(Progress progress) {
        return runner.referencePredictions(progress);
    }

    @Override
    public void run(String layer, List<CompressedLayer> variants, VariantSink sink, Progress progress) {
        Variants.runEach(applier, work, layer, variants, sink, progress, p -> runner.predict(work, layer, p));
    }

    @Override
    public String name() {
        return "suffix-runner";
    }
}
