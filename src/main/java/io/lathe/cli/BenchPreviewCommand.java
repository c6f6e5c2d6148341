package io.lathe.cli;

import io.lathe.data.DataSplits;
import io.lathe.eval.BnReestimator;
import io.lathe.eval.PreviewBench;
import io.lathe.eval.PreviewEngine;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = "--bn-reestimate", defaultValue = "0",
            description = "Re-estimate BatchNorm statistics on this many training images in every preview (0 = off).")
    int bnImages;

    @Option(names = "--cache-mb", defaultValue = "-1", description = "Activation cache budget in MB (default: the engine's).")
    long cacheMb;

    @Override
    public Integer call() throws Exception {
        if (changes < 1 || verify < 0 || bnImages < 0) {
            throw new IllegalArgumentException("--changes must be >= 1, --verify and --bn-reestimate >= 0");
        }
        LoadedModel m = models.loadModel();
        DataSplits data = models.loadData(m);
        BnReestimator bn = bnImages > 0 ? new BnReestimator(data.train(), bnImages) : null;
        long budget = cacheMb < 0 ? PreviewEngine.DEFAULT_BUDGET : cacheMb * 1_000_000L;
        Map<String, Object> out = PreviewBench.run(m, data.validation(), bn, changes, verify, budget, Progress.none());
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-32s %s%n", k, v));
        }
        return 0;
    }
}
