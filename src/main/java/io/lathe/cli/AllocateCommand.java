package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PlanJson;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Predictor;
import io.lathe.files.AtomicFiles;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.sensitivity.Allocation;
import io.lathe.sensitivity.AllocationComparison;
import io.lathe.sensitivity.AllocationGoal;
import io.lathe.sensitivity.Allocator;
import io.lathe.sensitivity.MemoryBudget;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.sensitivity.SensitivitySweep;
import io.lathe.sensitivity.SuffixSweepEngine;
import io.lathe.sensitivity.SweepSpec;
import io.lathe.spark.ClusterPayload;
import io.lathe.spark.SparkCluster;
import io.lathe.spark.SparkEval;
import io.lathe.spark.SparkSweep;
import org.apache.spark.broadcast.Broadcast;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code allocate}: per-layer settings for a global goal from the sensitivity curves (measured or
 * reused), written as a plan file, with the allocated and the uniform plan measured on validation.
 */
@Command(name = "allocate", mixinStandardHelpOptions = true,
        description = "Allocate per-layer sparsity (and bits for size goals) from sensitivity curves for a goal, "
                + "write the plan, and compare it with the uniform plan on the validation split.")
final class AllocateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;
    @Mixin
    SweepOptions sweep;
    @Mixin
    SparkOptions spark;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Goal goal;

    static final class Goal {
        @Option(names = "--target-sparsity", required = true,
                description = "Global sparsity of the prunable weights, as a fraction (e.g. 0.7).")
        Double sparsity;

        @Option(names = "--target-size-kb", required = true, description = "Model size in KB (1 KB = 1000 bytes).")
        Double sizeKb;

        @Option(names = "--max-drop", required = true, description = "Largest validation accuracy drop, in points.")
        Double maxDrop;

        AllocationGoal toGoal() {
            if (sparsity != null) {
                return AllocationGoal.sparsity(sparsity);
            }
            if (sizeKb != null) {
                return AllocationGoal.sizeKb(sizeKb);
            }
            return AllocationGoal.maxDrop(maxDrop);
        }
    }

    @Option(names = "--plan", description = "Base plan: its locked (pinned) layers are kept and count toward the goal.")
    Path basePlan;

    @Option(names = "--out", required = true, description = "Where to write the allocated plan (JSON).")
    Path out;

    @Option(names = "--max-layer-sparsity", defaultValue = "0.95",
            description = "Highest sparsity any layer gets (default ${DEFAULT-VALUE}).")
    double maxLayerSparsity;

    @Option(names = "--bn-reestimate", paramLabel = "N",
            description = "BatchNorm calibration written into the plan: refresh BatchNorm statistics on the first N "
                    + "training images after compressing (0 = off). Both the allocated and the uniform plan are "
                    + "then measured with it, and also without it. Default: the base plan's setting (off).")
    Integer bnImages;

    @Override
    public Integer call() throws Exception {
        AllocationGoal g = goal.toGoal();
        if (bnImages != null && bnImages < 0) {
            throw new IllegalArgumentException("--bn-reestimate must be >= 0 (number of training images; 0 = off)");
        }
        if (maxLayerSparsity <= 0 || maxLayerSparsity >= 1) {
            throw new IllegalArgumentException("--max-layer-sparsity must be in 0-1, got " + maxLayerSparsity);
        }
        spark.check();
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        Plan base = basePlan == null ? Plan.empty(m.name(), m.sha256()) : ModelOptions.readPlan(basePlan, m, tree);
        if (bnImages != null) {
            base = base.withBatchNormImages(bnImages);
        }
        var data = models.loadData(m);
        LabeledImages val = data.validation();
        if (sweep.limit > 0) {
            val = val.limit(sweep.limit);
        }
        SweepSpec spec = sweep.spec(SweepOptions.layers(null, tree), null, g.usesBits() ? null : new int[0]);
        PlanApplier applier = new PlanApplier(m, tree);
        ConsoleProgress progress = new ConsoleProgress(false);
        Allocator.Options defaults = Allocator.Options.defaults();
        Allocator.Options options = new Allocator.Options(maxLayerSparsity,
                Math.min(maxLayerSparsity, defaults.smallLayerMaxSparsity()), defaults.smallLayerMinBits(),
                defaults.smallLayerFraction());
        Allocation a;
        AllocationComparison cmp;
        Map<String, Object> onSpark = null;
        if (spark.enabled()) {
            try (SparkCluster cluster = spark.connect("allocate")) {
                Broadcast<ClusterPayload> payload = cluster.broadcast(ClusterPayload.of(m, models.dataRequest(m),
                        "val", sweep.limit, val));
                SensitivityCurves curves = new SensitivitySweep(applier, val, spec,
                        new SparkSweep(cluster, payload, spec.granularity(), spec.blockShape()), sweep.store(), null)
                        .run(progress.range(0, 0.8));
                a = new Allocator(applier, curves, curves, options).allocate(g, base);
                cmp = AllocationComparison.measure(applier, a, val.size(), new SparkEval(cluster, payload, val),
                        progress.range(0.8, 1));
                onSpark = SparkOptions.describe(cluster);
            }
        } else {
            SensitivityCurves curves = new SensitivitySweep(applier, val, spec,
                    new SuffixSweepEngine(applier, val, Predictor.DEFAULT_BATCH, MemoryBudget.defaultBytes()),
                    sweep.store(), null).run(progress.range(0, 0.8));
            a = new Allocator(applier, curves, curves, options).allocate(g, base);
            cmp = AllocationComparison.measure(applier, a, val, data.train(), progress.range(0.8, 1));
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        AtomicFiles.writeString(out, PlanJson.write(a.plan()));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", m.name());
        o.put("goal", g.toString());
        o.put("out", out.toString());
        o.put("images", cmp.images());
        o.put("baselineTop1", cmp.baselineTop1());
        o.put("allocatedTop1", cmp.allocatedTop1());
        o.put("uniformTop1", cmp.uniformTop1());
        o.put("bnCalibrationImages", a.plan().batchNormImages());
        if (cmp.calibrated()) {
            o.put("allocatedUncalibratedTop1", cmp.allocatedPlainTop1());
            o.put("uniformUncalibratedTop1", cmp.uniformPlainTop1());
        }
        o.put("sparsity", a.stats().sparsity());
        o.put("sizeBytes", a.stats().sizeBytes());
        o.put("uniformSparsity", cmp.uniformStats().sparsity());
        o.put("uniformSizeBytes", cmp.uniformStats().sizeBytes());
        o.put("estimatedDropPoints", a.estimatedDrop());
        Map<String, Object> layers = new LinkedHashMap<>();
        a.sparsity().keySet().stream().sorted((x, y) -> Integer.compare(index(tree, x), index(tree, y))).forEach(l ->
                layers.put(l, Map.of("sparsity", Math.round(a.sparsity().get(l) * 10000) / 10000.0,
                        "bits", a.bits().get(l))));
        o.put("layers", layers);
        o.put("spark", onSpark);
        if (common.json) {
            Json.print(o);
        } else {
            System.out.printf("%s: wrote %s%n", g, out);
            System.out.printf("validation top-1 (%d images): unchanged %.2f%%, allocated %.2f%%, uniform %.2f%%%n",
                    cmp.images(), 100 * cmp.baselineTop1(), 100 * cmp.allocatedTop1(), 100 * cmp.uniformTop1());
            if (cmp.calibrated()) {
                System.out.printf("  (BatchNorm calibrated on %d training images; without it: allocated %.2f%%, "
                                + "uniform %.2f%%)%n", a.plan().batchNormImages(), 100 * cmp.allocatedPlainTop1(),
                        100 * cmp.uniformPlainTop1());
            }
            System.out.printf("allocated: sparsity %.2f%%, size %,d bytes; uniform: sparsity %.2f%%, size %,d bytes%n",
                    100 * a.stats().sparsity(), a.stats().sizeBytes(), 100 * cmp.uniformStats().sparsity(),
                    cmp.uniformStats().sizeBytes());
            layers.forEach((k, v) -> System.out.printf("  %-30s %s%n", k, v));
        }
        return 0;
    }

    private static int index(LayerTree tree, String layer) {
        return tree.layers().indexOf(tree.layer(layer));
    }
}
