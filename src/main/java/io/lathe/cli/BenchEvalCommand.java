package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.LabeledImages;
import io.lathe.eval.EngineComparison;
import io.lathe.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bench eval}: stock vs tuned DL4J inference throughput, GFLOP/s and the GEMM roofline. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Inference throughput with DL4J's stock settings and with Lathe's, in one run.")
final class BenchEvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--images", defaultValue = "5000", description = "Validation images for the tuned run.")
    int images;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = models.loadModel();
        LabeledImages val = models.loadData(m).validation().limit(images);
        Map<String, Object> out = EngineComparison.run(m, models.model, val, batch);
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-20s %s%n", k, v));
        }
        return 0;
    }
}
