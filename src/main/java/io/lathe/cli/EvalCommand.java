package io.lathe.cli;

import io.lathe.data.DataRequest;
import io.lathe.data.DataSplits;
import io.lathe.data.Preprocessing;
import io.lathe.files.Json;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.session.EvaluateRequest;
import io.lathe.session.EvaluateResult;
import io.lathe.session.LocalRunner;
import io.lathe.session.ModelRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
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
        DataRequest where = models.dataRequest(m);
        String planText = null;
        if (plan != null) {
            ModelOptions.readPlan(plan, m, LayerTree.of(m));
            planText = Files.readString(plan);
        }
        EvaluateRequest request = new EvaluateRequest(ModelRef.of(m), where, planText, split, limit, bnImages,
                spark.master);
        DataSplits data = ModelOptions.loadData(m, where);
        EvaluateResult e = LocalRunner.on(m, data).run(request,
                spark.enabled() ? new ConsoleProgress(common.json) : Progress.none());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", e.model());
        out.put("plan", plan == null ? null : plan.toString());
        out.put("split", e.split());
        out.put("preprocess", Preprocessing.fromJson(e.preprocessJson()).toNode());
        if (e.pixelMeanData() != null) {
            out.put("pixelMeanData", e.pixelMeanData());
        }
        out.put("bnReestimateImages", e.bnReestimateImages());
        out.put("top1", e.top1());
        out.put("interval95", e.interval95());
        out.put("images", e.images());
        out.put("seconds", e.seconds());
        out.put("sparsity", e.sparsity());
        out.put("sizeBytes", e.sizeBytes());
        out.put("fp32Bytes", e.fp32Bytes());
        out.put("compressionRatio", e.compressionRatio());
        out.put("nonZeroParams", e.nonZeroParams());
        out.put("spark", e.spark());
        out.put("perClass", e.perClass());
        out.put("confusion", e.confusion());
        if (common.json) {
            Json.print(out);
        } else {
            System.out.printf("%s on %s (%d images): top-1 %.2f%% ± %.2f, sparsity %.1f%%, size %,d bytes (%.1fx), %.2f s%n",
                    e.model(), e.split(), e.images(), 100 * e.top1(), 100 * e.interval95(), 100 * e.sparsity(),
                    e.sizeBytes(), e.compressionRatio(), e.seconds());
            System.out.println("  preprocessing " + Preprocessing.fromJson(e.preprocessJson()).describe());
            String[] names = e.classNames();
            double[] pc = e.perClass();
            for (int c = 0; c < pc.length; c++) {
                System.out.println(Double.isNaN(pc[c]) ? String.format("  %-12s   (no images)", names[c])
                        : String.format("  %-12s %6.2f%%", names[c], 100 * pc[c]));
            }
        }
        return 0;
    }
}
