package io.lathe.session;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanException;
import io.lathe.data.LabeledImages;
import io.lathe.data.Split;
import io.lathe.eval.Evaluation;
import io.lathe.eval.PlannedNetwork;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.sensitivity.MemoryBudget;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.sensitivity.SensitivitySweep;
import io.lathe.sensitivity.SuffixSweepEngine;
import io.lathe.sensitivity.SweepSpec;
import io.lathe.sensitivity.SweepStore;
import io.lathe.spark.ClusterPayload;
import io.lathe.spark.SparkCluster;
import io.lathe.spark.SparkEval;
import io.lathe.spark.SparkMaster;
import io.lathe.spark.SparkSweep;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one code path of each operation a {@link Request} names, on a {@link Workspace} that holds the
 * request's model and data ({@link LocalRunner} finds or opens it). The command line and the window
 * both come here, so they agree by construction. Runs in the calling thread (the engine thread in the
 * window).
 */
public final class Operations {
    private Operations() {
    }

    /** Runs {@code r} on {@code ws}; {@code onCurves} gets a sweep's partial curves (null: not wanted). */
    @SuppressWarnings("unchecked")
    static <R> R run(Workspace ws, Request<R> r, Consumer<SensitivityCurves> onCurves, Progress progress)
            throws PlanException {
        if (r instanceof EvaluateRequest e) {
            return (R) evaluate(ws, e, progress);
        }
        if (r instanceof SweepRequest s) {
            return (R) sweep(ws, s, onCurves, progress);
        }
        throw new IllegalArgumentException("no operation for " + r.getClass().getSimpleName());
    }

    /** Top-1 of the request's plan on its split, locally or on Spark. */
    public static EvaluateResult evaluate(Workspace ws, EvaluateRequest r, Progress progress) throws PlanException {
        ws.requireData();
        LabeledImages images = r.allImages() ? ws.data().all() : ws.data().get(Split.parse(r.split()));
        if (r.limit() > 0) {
            images = images.limit(r.limit());
        }
        Plan plan = r.planJson() == null ? ws.emptyPlan() : ws.readPlan(r.planJson());
        if (r.batchNormImages() != null) {
            plan = plan.withBatchNormImages(r.batchNormImages());
        }
        ModelStats stats;
        Evaluation e;
        Map<String, Object> onSpark = null;
        if (r.sparkMaster() != null) {
            stats = ws.stats(plan);
            progress.update(0, "connecting to Spark");
            try (SparkCluster cluster = SparkCluster.connect(SparkMaster.parse(r.sparkMaster()), "lathe eval")) {
                e = new SparkEval(cluster, cluster.broadcast(ClusterPayload.of(ws.model(), r.data(), r.split(),
                        r.limit(), images)), images).evaluate(plan, progress);
                onSpark = sparkFigures(cluster);
            }
        } else {
            PlannedNetwork net = PlannedNetwork.build(ws.applier(), plan, ws.data().train(), progress.range(0, 0.2));
            stats = net.compressed().stats();
            e = net.evaluate(images, progress.range(0.2, 1));
        }
        var data = ws.data();
        return new EvaluateResult(ws.modelName(), r.split(), data.preprocessing().toJson(),
                data.pixelMean() == null ? null : data.pixelMean().dataFingerprint(), plan.batchNormImages(),
                e.top1(), e.interval95(), e.images(), Math.round(e.seconds() * 1000) / 1000.0, stats.sparsity(),
                stats.sizeBytes(), stats.fp32Bytes(), stats.compressionRatio(), stats.nonZeroParams(),
                images.classNames(), e.perClass(), e.confusion(), onSpark);
    }

    /**
     * The request's sweep with the suffix engine (or its variants as Spark tasks), points read from and
     * added to the request's store; {@code onCurves} (may be null) gets partial curves after every point.
     */
    public static SweepResult sweep(Workspace ws, SweepRequest r, Consumer<SensitivityCurves> onCurves,
                                    Progress progress) {
        ws.requireData();
        SweepSpec spec = r.spec(ws.tree());
        LabeledImages images = ws.data().get(Split.parse(r.split()));
        if (r.limit() > 0) {
            images = images.limit(r.limit());
        }
        SweepStore store = new SweepStore(Path.of(r.storeDir()));
        long t0 = System.nanoTime();
        SensitivityCurves curves;
        Map<String, Object> onSpark = null;
        if (r.sparkMaster() != null) {
            SparkMaster m = SparkMaster.parse(r.sparkMaster());
            progress.update(0, "connecting to Spark at " + m.url());
            try (SparkCluster cluster = SparkCluster.connect(m, "lathe sensitivity (" + ws.modelName() + ")")) {
                SparkSweep runner = new SparkSweep(cluster, cluster.broadcast(ClusterPayload.of(ws.model(), r.data(),
                        r.split(), r.limit(), images)), spec.granularity(), spec.blockShape());
                curves = new SensitivitySweep(ws.applier(), images, spec, runner, store, onCurves)
                        .run(progress.range(0.05, 1));
                onSpark = sparkFigures(cluster);
                onSpark.put("taskSeconds", runner.taskTimes().stream().mapToDouble(SparkSweep.TaskTime::seconds)
                        .map(x -> Math.round(x * 1000) / 1000.0).toArray());
            }
        } else {
            curves = new SensitivitySweep(ws.applier(), images, spec,
                    new SuffixSweepEngine(ws.applier(), images, Predictor.DEFAULT_BATCH, MemoryBudget.defaultBytes()),
                    store, onCurves).run(progress);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new SweepResult(curves, Math.round(seconds * 100) / 100.0, store.dir().toString(), onSpark);
    }

    /** What a JSON output says about a run on Spark. */
    public static Map<String, Object> sparkFigures(SparkCluster c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("master", c.master().url());
        out.put("parallelism", c.parallelism());
        out.put("tasks", c.tasks());
        out.put("failedTaskAttempts", c.failedAttempts());
        return out;
    }
}
