package io.lathe.cli;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.data.Split;
import io.lathe.eval.Evaluation;
import io.lathe.eval.PlannedNetwork;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.spark.ClusterPayload;
import io.lathe.spark.SparkCluster;
import io.lathe.spark.SparkEval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code eval}: top-1 of a model (optionally with a plan applied) on a data split. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate top-1 accuracy on a split.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;
    @Mixin
    SparkOptions spark;

    @Option(names = "--plan", description = "Plan file to apply before evaluating.")
    Path plan;

    @Option(names = "--split", defaultValue = "val", description = "train, val, test, or all (every image of the "
            + "data folder, e.g. a folder of held-out images without train/; default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N images.")
    int limit;

    @Option(names = "--bn-reestimate", paramLabel = "N",
            description = "Re-estimate BatchNorm statistics on the first N training images after applying the plan "
                    + "(0 = off). Default: what the plan's \"calibration\" says (off if it says nothing).")
    Integer bnImages;

    @Override
    public Integer call() throws Exception {
        spark.check();
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        boolean all = "all".equalsIgnoreCase(split);
        Split s = all ? null : Split.parse(split);
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0");
        }
        DataSplits data = models.loadData(m);
        LabeledImages images = all ? data.all() : data.get(s);
        if (limit > 0) {
            images = images.limit(limit);
        }
        PlanApplier applier = new PlanApplier(m, tree);
        Plan p = plan == null ? Plan.empty(m.name(), m.sha256()) : ModelOptions.readPlan(plan, m, tree);
        if (bnImages != null && bnImages < 0) {
            throw new IllegalArgumentException("--bn-reestimate must be >= 0 (number of training images; 0 = off)");
        }
        if (bnImages != null) {
            p = p.withBatchNormImages(bnImages);
        }
        ModelStats stats;
        Evaluation e;
        Map<String, Object> onSpark = null;
        if (spark.enabled()) {
            stats = applier.stats(applier.compressLayers(p));
            try (SparkCluster cluster = spark.connect("eval")) {
                e = new SparkEval(cluster, cluster.broadcast(ClusterPayload.of(m, models.dataRequest(m),
                        all ? "all" : s.key(), limit, images)), images).evaluate(p, new ConsoleProgress(common.json));
                onSpark = SparkOptions.describe(cluster);
            }
        } else {
            PlannedNetwork net = PlannedNetwork.build(applier, p, data.train(), Progress.none());
            stats = net.compressed().stats();
            e = net.evaluate(images, Progress.none());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.name());
        out.put("plan", plan == null ? null : plan.toString());
        out.put("split", all ? "all" : s.key());
        out.put("preprocess", data.preprocessing().toNode());
        if (data.pixelMean() != null) {
            out.put("pixelMeanData", data.pixelMean().dataFingerprint());
        }
        out.put("bnReestimateImages", p.batchNormImages());
        out.put("top1", e.top1());
        out.put("interval95", e.interval95());
        out.put("images", e.images());
        out.put("seconds", Math.round(e.seconds() * 1000) / 1000.0);
        out.put("sparsity", stats.sparsity());
        out.put("sizeBytes", stats.sizeBytes());
        out.put("fp32Bytes", stats.fp32Bytes());
        out.put("compressionRatio", stats.compressionRatio());
        out.put("nonZeroParams", stats.nonZeroParams());
        out.put("spark", onSpark);
        out.put("perClass", e.perClass());
        out.put("confusion", e.confusion());
        if (common.json) {
            Json.print(out);
        } else {
            System.out.printf("%s on %s (%d images): top-1 %.2f%% ± %.2f, sparsity %.1f%%, size %,d bytes (%.1fx), %.2f s%n",
                    m.name(), all ? "all" : s.key(), e.images(), 100 * e.top1(), 100 * e.interval95(), 100 * stats.sparsity(),
                    stats.sizeBytes(), stats.compressionRatio(), e.seconds());
            System.out.println("  preprocessing " + data.preprocessing().describe());
            String[] names = images.classNames();
            double[] pc = e.perClass();
            for (int c = 0; c < pc.length; c++) {
                System.out.println(Double.isNaN(pc[c]) ? String.format("  %-12s   (no images)", names[c])
                        : String.format("  %-12s %6.2f%%", names[c], 100 * pc[c]));
            }
        }
        return 0;
    }
}
