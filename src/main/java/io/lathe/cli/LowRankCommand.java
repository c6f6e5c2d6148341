package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.DataSplits;
import io.lathe.eval.Evaluator;
import io.lathe.eval.PairedLatency;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.structure.LowRank;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code low-rank}: singular-value spectra and truncated-SVD factorization with measured accuracy, size, latency. */
@Command(name = "low-rank", mixinStandardHelpOptions = true,
        description = "Truncated SVD (spatial k×1+1×k for k×k convolutions, two 1×1 for 1×1, two dense for dense): "
                + "spectra, and with --energy the factorized network's accuracy, size and latency.")
final class LowRankCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;

    @Option(names = "--energy", description = "Keep this share of each layer's singular-value energy (e.g. 0.9); "
            + "layers whose rank would not save weights are left alone. Without it only spectra are printed.")
    Double energy;

    @Option(names = "--layers", split = ",", description = "Layers to factorize (default: all that can be).")
    List<String> layers;

    @Option(names = "--images", defaultValue = "5000", description = "Validation images for accuracy.")
    int images;

    @Option(names = "--write-plan", paramLabel = "FILE", description = "With --energy: also write a plan file "
            + "factorizing these layers at these ranks (previewed, fine-tuned and exported with the rest of a plan).")
    java.nio.file.Path writePlan;

    @Override
    public Integer call() throws Exception {
        if (writePlan != null && energy == null) {
            throw new IllegalArgumentException("--write-plan needs --energy (which ranks to write)");
        }
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        List<LowRank.Spectrum> spectra = LowRank.spectra(m, tree);
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (LowRank.Spectrum s : spectra) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("layer", s.layer());
            r.put("mode", s.mode());
            r.put("fullRank", s.fullRank());
            r.put("breakEvenRank", s.breakEvenRank());
            r.put("energy", s.energy());
            if (energy != null && (layers == null || layers.contains(s.layer()))) {
                int rank = s.rankFor(energy);
                r.put("rank", rank);
                if (rank <= s.breakEvenRank()) {
                    ranks.put(s.layer(), rank);
                    r.put("factorized", true);
                } else {
                    r.put("factorized", false);
                }
            }
            rows.add(r);
        }
        out.put("layers", rows);
        if (energy != null) {
            DataSplits data = models.loadData(m);
            ComputationGraph f = LowRank.factorize(m, tree, ranks);
            var val = data.validation().limit(images);
            out.put("factorizedLayers", ranks.size());
            out.put("params", m.parameterCount());
            out.put("factorizedParams", f.numParams());
            out.put("denseValidationTop1", Evaluator.evaluate(m.graph(), m, val, Progress.none()).top1());
            out.put("factorizedValidationTop1", Evaluator.evaluate(f, m, val, Progress.none()).top1());
            PairedLatency.Result b1 = PairedLatency.measure(m.graph(), f, m.inputShape(), m.channelsLast(), 1, 10, 100,
                    Progress.none());
            PairedLatency.Result b64 = PairedLatency.measure(m.graph(), f, m.inputShape(), m.channelsLast(), 64, 3, 20,
                    Progress.none());
            out.put("latency", Map.of("denseBatch1Ms", b1.first().medianMs(), "batch1Ms", b1.second().medianMs(),
                    "denseBatch64Ms", b64.first().medianMs(), "batch64Ms", b64.second().medianMs(),
                    "speedupBatch64", b64.speedup()));
        }
        if (writePlan != null) {
            LayerPlanFile.write(writePlan, m, ranks, (s, r) -> s.withLowRank(io.lathe.compress.LowRankSetting.rank(r)));
            out.put("plan", writePlan.toString());
        }
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-26s %s%n", k, v));
        }
        return 0;
    }
}
