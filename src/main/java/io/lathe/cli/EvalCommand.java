package io.lathe.cli;

import io.lathe.compress.CompressedModel;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.data.Split;
import io.lathe.eval.BnReestimator;
import io.lathe.eval.Evaluation;
import io.lathe.eval.Evaluator;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
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
        CompressedModel cm = applier.apply(p);
        BnReestimator.calibrate(cm.graph(), tree, p, data.train(), Progress.none());
        Evaluation e = Evaluator.evaluate(cm.graph(), m, images, Progress.none());
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
        out.put("sparsity", cm.stats().sparsity());
        out.put("sizeBytes", cm.stats().sizeBytes());
        out.put("fp32Bytes", cm.stats().fp32Bytes());
        out.put("compressionRatio", cm.stats().compressionRatio());
        out.put("nonZeroParams", cm.stats().nonZeroParams());
        out.put("perClass", e.perClass());
        out.put("confusion", e.confusion());
        if (common.json) {
            Json.print(out);
        } else {
            System.out.printf("%s on %s (%d images): top-1 %.2f%% ± %.2f, sparsity %.1f%%, size %,d bytes (%.1fx), %.2f s%n",
                    m.name(), all ? "all" : s.key(), e.images(), 100 * e.top1(), 100 * e.interval95(), 100 * cm.stats().sparsity(),
                    cm.stats().sizeBytes(), cm.stats().compressionRatio(), e.seconds());
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
