package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import io.lathe.sensitivity.MemoryBudget;
import io.lathe.sensitivity.SweepBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bench sweep}: the default sparsity sweep naive vs Lathe's, timed in one run, with the largest difference. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Default sparsity sweep of every prunable layer on the validation split: naive "
                + "(whole network per layer and level) vs Lathe's sweep, in one run.")
final class BenchSweepCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N validation images (quick checks).")
    int limit;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0");
        }
        LoadedModel m = models.loadModel();
        LabeledImages val = models.loadData(m).validation();
        if (limit > 0) {
            val = val.limit(limit);
        }
        Map<String, Object> out = SweepBench.run(m, val, Predictor.DEFAULT_BATCH, MemoryBudget.defaultBytes(),
                Progress.none());
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-14s %s%n", k, v));
        }
        return 0;
    }
}
