package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.engine.Engine;
import io.lathe.eval.LayerLatency;
import io.lathe.eval.PairedLatency;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bench latency}: measured batch-1 and batch-64 latency of a model and, in the same run, of another. */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Latency at batch 1 and 64 of a model and (with --versus) of a second one, measured "
                + "alternately in one run; optionally per layer.")
final class BenchLatencyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, description = "The reference model (e.g. the dense one).")
    String model;

    @Option(names = "--versus", description = "A second model to compare with (e.g. the channel-pruned one).")
    String versus;

    @Option(names = "--repeats", defaultValue = "30", description = "Timed calls per model at batch 64 "
            + "(batch 1 uses 5x as many; default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--per-layer", description = "Also time every layer alone (batch 1 and 64).")
    boolean perLayer;

    @Override
    public Integer call() throws Exception {
        if (repeats < 3) {
            throw new IllegalArgumentException("--repeats must be at least 3, got " + repeats);
        }
        LoadedModel a = ModelLoader.load(model);
        LoadedModel b = versus == null ? null : ModelLoader.load(versus);
        if (b != null && !java.util.Arrays.equals(a.inputShape(), b.inputShape())) {
            throw new IllegalArgumentException("the two models take different inputs ("
                    + java.util.Arrays.toString(a.inputShape()) + " vs " + java.util.Arrays.toString(b.inputShape())
                    + "); compare models of the same input size");
        }
        PairedLatency.Result one = PairedLatency.measure(a.graph(), b == null ? null : b.graph(), a.inputShape(),
                a.channelsLast(), 1, 10, repeats * 5, Progress.none());
        PairedLatency.Result many = PairedLatency.measure(a.graph(), b == null ? null : b.graph(), a.inputShape(),
                a.channelsLast(), 64, 3, repeats, Progress.none());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("batch1Ms", round(one.first().medianMs()));
        out.put("batch64Ms", round(many.first().medianMs()));
        out.put("batch64ImagesPerSecond", round(many.first().imagesPerSecond()));
        if (b != null) {
            out.put("versus", versus);
            out.put("versusBatch1Ms", round(one.second().medianMs()));
            out.put("versusBatch64Ms", round(many.second().medianMs()));
            out.put("speedupBatch1", round(one.speedup()));
            out.put("speedupBatch64", round(many.speedup()));
            out.put("params", a.parameterCount());
            out.put("versusParams", b.parameterCount());
        }
        out.put("spread", Map.of("batch1P10P90Ms", List.of(round(one.first().p10Ms()), round(one.first().p90Ms())),
                "batch64P10P90Ms", List.of(round(many.first().p10Ms()), round(many.first().p90Ms()))));
        out.put("repeats", Map.of("batch1", repeats * 5, "batch64", repeats));
        out.put("engine", Engine.status().toString());
        out.put("method", "median of alternating calls (model, versus, model, ...) on one random batch");
        if (perLayer) {
            out.put("layers", layers(a));
            if (b != null) {
                out.put("versusLayers", layers(b));
            }
        }
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-24s %s%n", k, v));
        }
        return 0;
    }

    private List<Map<String, Object>> layers(LoadedModel m) {
        LayerTree tree = LayerTree.of(m);
        LayerLatency.Profile p1 = LayerLatency.measure(m.graph(), tree, m.inputShape(), m.channelsLast(), 1, 5,
                repeats * 2, Progress.none());
        LayerLatency.Profile p64 = LayerLatency.measure(m.graph(), tree, m.inputShape(), m.channelsLast(), 64, 2,
                Math.max(5, repeats / 3), Progress.none());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerLatency.LayerTime t : p1.layers()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", t.name());
            r.put("kind", t.kind());
            r.put("batch1Ms", round(t.medianMs()));
            r.put("batch64Ms", round(p64.layer(t.name()).medianMs()));
            rows.add(r);
        }
        return rows;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
