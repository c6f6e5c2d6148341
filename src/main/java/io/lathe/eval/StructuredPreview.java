package io.lathe.eval;

import io.lathe.compress.Plan;
import io.lathe.data.LabeledImages;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.structure.StructuredCompressor;

/**
 * A preview of a plan with structural changes: builds the physically smaller network, evaluates it on
 * validation images and measures its latency at batch 1 and 64 against the dense model in the same
 * run (alternating calls), so the preview shows measured latency, not an estimate from MACs.
 * A {@link Job}: run it on the engine thread through the job runner.
 */
public final class StructuredPreview implements Job<StructuredPreview.Result> {
    private final LoadedModel model;
    private final LayerTree tree;
    private final Plan plan;
    private final int roundTo;
    private final LabeledImages validation;
    private final int repeats;

    /**
     * @param validation images to evaluate (a validation sample; never the test split)
     * @param repeats    timed batch-64 calls per network (batch 1 uses 5x as many)
     */
    public StructuredPreview(LoadedModel model, LayerTree tree, Plan plan, int roundTo, LabeledImages validation,
                             int repeats) {
        this.model = model;
        this.tree = tree;
        this.plan = plan;
        this.roundTo = roundTo;
        this.validation = validation;
        this.repeats = repeats;
    }

    /**
     * What the preview measured.
     *
     * @param structured   the smaller model and the rest of the plan applied to it
     * @param top1         accuracy of the structured, compressed network on the validation images
     * @param batch1       dense vs structured at batch 1
     * @param batch64      dense vs structured at batch 64
     */
    public record Result(StructuredCompressor.Result structured, Evaluation top1, PairedLatency.Result batch1,
                         PairedLatency.Result batch64) {
    }

    @Override
    public Result run(Progress progress) throws Exception {
        StructuredCompressor.Result s = StructuredCompressor.apply(model, tree, plan, roundTo, progress.range(0, 0.1));
        Evaluation e = Evaluator.evaluate(s.compressed().graph(), model, validation, progress.range(0.1, 0.6));
        PairedLatency.Result b1 = PairedLatency.measure(model.graph(), s.compressed().graph(), model.inputShape(),
                model.channelsLast(), 1, 5, repeats * 5, progress.range(0.6, 0.75));
        PairedLatency.Result b64 = PairedLatency.measure(model.graph(), s.compressed().graph(), model.inputShape(),
                model.channelsLast(), 64, 2, repeats, progress.range(0.75, 1));
        return new Result(s, e, b1, b64);
    }
}
