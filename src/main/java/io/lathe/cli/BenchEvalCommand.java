package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.LabeledImages;
import io.lathe.eval.EngineComparison;
import io.lathe.export.RuntimeComparison;
import io.lathe.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench eval}: stock vs tuned DL4J inference throughput, GFLOP/s and the GEMM roofline, then Lathe's
 * engine against ONNX Runtime fp32 and INT8 on the same model and images at one batch size.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Inference throughput with DL4J's stock settings and with Lathe's, and Lathe's engine "
                + "against ONNX Runtime fp32/INT8 on the same model, in one run.")
final class BenchEvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--images", defaultValue = "5000", description = "Validation images for the tuned run.")
    int images;

    @Option(names = "--runtime-batch", defaultValue = "64",
            description = "Batch size of the ONNX Runtime comparison (default ${DEFAULT-VALUE}).")
    int runtimeBatch;

    @Option(names = "--rounds", defaultValue = "40",
            description = "Timed rounds of the ONNX Runtime comparison, each runtime once per round (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = models.loadModel();
        LabeledImages val = models.loadData(m).validation().limit(images);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loadAverageAtStart", loadAverage());
        out.put("ompWaitPolicy", System.getenv().getOrDefault("OMP_WAIT_POLICY", "(not set)"));
        out.putAll(EngineComparison.run(m, models.model, val, batch, runtimeBatch));
        out.putAll(RuntimeComparison.run(m, val, runtimeBatch, rounds, StderrProgress.every(10)));
        out.put("loadAverageAtEnd", loadAverage());
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-20s %s%n", k, v));
        }
        return 0;
    }

    /** The 1-minute load average (how busy the machine was), or -1 where the system does not say. */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
