package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.DataSplits;
import io.lathe.eval.BnReestimator;
import io.lathe.eval.PreviewBench;
import io.lathe.eval.PreviewEngine;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bench preview}: the live preview's speed over a fixed script of single-layer slider changes. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Time from a plan change to the first estimate and to the exact validation accuracy, "
                + "over a fixed script of single-layer sparsity changes.")
final class BenchPreviewCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;

    @Option(names = "--changes", defaultValue = "20", description = "Slider changes in the script (default ${DEFAULT-VALUE}).")
    int changes;

    @Option(names = "--verify", defaultValue = "3",
            description = "Changes also evaluated the naive way (full apply + eval) to check equality (default ${DEFAULT-VALUE}).")
    int verify;

    @Option(names = "--bn-reestimate", defaultValue = "-1", paramLabel = "N",
            description = "BatchNorm calibration images in every preview; default: what the window does for a new plan "
                    + "(the first min(512, train size) training images). 0 = off.")
    int bnImages;

    @Option(names = "--no-side-by-side", description = "Do not also run the script with calibration off.")
    boolean alone;

    @Option(names = "--cache-mb", defaultValue = "-1", description = "Activation cache budget in MB (default: the engine's).")
    long cacheMb;

    @Override
    public Integer call() throws Exception {
        if (changes < 1 || verify < 0 || bnImages < -1) {
            throw new IllegalArgumentException("--changes must be >= 1, --verify and --bn-reestimate >= 0");
        }
        LoadedModel m = models.loadModel();
        DataSplits data = models.loadData(m);
        int images = bnImages >= 0 ? Math.min(bnImages, data.train().size())
                : Math.min(BnReestimator.DEFAULT_IMAGES, data.train().size());
        BnReestimator bn = images > 0 ? new BnReestimator(data.train(), images) : null;
        long budget = cacheMb < 0 ? PreviewEngine.DEFAULT_BUDGET : cacheMb * 1_000_000L;
        Map<String, Object> out = new LinkedHashMap<>(
                PreviewBench.run(m, data.validation(), bn, changes, verify, budget, Progress.none()));
        out.put("bnReestimation", bn == null ? "off" : images + " training images"
                + (bnImages < 0 ? " (the window's default for a new plan)" : ""));
        if (bn != null && !alone) {
            Map<String, Object> off = PreviewBench.run(m, data.validation(), null, changes, verify, budget, Progress.none());
            Map<String, Object> side = new LinkedHashMap<>();
            for (String k : new String[]{"firstEstimateMedianSec", "exactMedianSec", "firstEstimateMaxSec", "exactMaxSec",
                    "naiveFullEvalMedianSec", "predictionMismatchesVsEvaluator"}) {
                side.put(k, off.get(k));
            }
            out.put("calibrationOff", side);
        }
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-32s %s%n", k, v));
        }
        return 0;
    }
}
