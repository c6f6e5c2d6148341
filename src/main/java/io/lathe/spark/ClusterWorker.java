package io.lathe.spark;

import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PlanException;
import io.lathe.compress.PlanJson;
import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.eval.PlannedNetwork;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.sensitivity.LocalSeriesRunner;
import io.lathe.sensitivity.MemoryBudget;
import io.lathe.sensitivity.SuffixSweepEngine;
import io.lathe.sensitivity.SweepSeries;

import java.util.List;

/**
 * One task thread's state on an executor: its own copy of the model and the engines the local code
 * measures with, built the way the CLI builds them (same batch size, same memory budget), so a task's
 * predictions are those of the same measurement on the driver's machine. One task at a time.
 */
final class ClusterWorker {
    private final LoadedModel model;
    private final PlanApplier applier;
    private final DataSplits data;
    private final LabeledImages images;
    private SuffixSweepEngine sweepEngine;
    private String planJson;
    private PlannedNetwork network;

    ClusterWorker(ClusterPayload payload, DataSplits data) {
        this.model = payload.model().restore();
        this.applier = new PlanApplier(model, LayerTree.of(model));
        this.data = data;
        this.images = payload.select(data);
    }

    /** Predictions of the variant(s) in {@code series} (one level in practice), or of the unchanged network when null. */
    int[] sweep(SweepSeries series, Granularity granularity, String blockShape, Progress progress) {
        if (sweepEngine == null) {
            sweepEngine = new SuffixSweepEngine(applier, images, Predictor.DEFAULT_BATCH, MemoryBudget.defaultBytes());
        }
        LocalSeriesRunner runner = new LocalSeriesRunner(applier, granularity, blockShape, sweepEngine);
        if (series == null) {
            return runner.baseline(progress);
        }
        int[][] out = new int[1][];
        runner.run(List.of(series), (s, i, pred) -> {
            out[0] = pred.clone();
            return true;
        }, progress);
        return out[0];
    }

    /** Predictions of images [from, to) under the plan (JSON; null: the unchanged model). */
    int[] predict(String plan, int from, int to, Progress progress) throws PlanException {
        if (network == null || !java.util.Objects.equals(plan, planJson)) {
            network = null;
            if (plan == null) {
                network = PlannedNetwork.unchanged(model);
            } else {
                Plan p = PlanJson.read(plan, applier.tree(), model.sha256());
                network = PlannedNetwork.build(applier, p, data.train(), progress);
            }
            planJson = plan;
        }
        return network.predict(images, from, to, progress);
    }
}
