package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Evaluator;
import io.lathe.eval.PairedLatency;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.structure.ActivationPruning;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code activation-prune}: per-layer activation thresholds, measured activation sparsity and accuracy. */
@Command(name = "activation-prune", mixinStandardHelpOptions = true,
        description = "Zero ReLU outputs below a per-layer threshold; prints each layer's activation sparsity "
                + "before and after, accuracy and latency, measured on validation images.")
final class ActivationPruneCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;

    @Option(names = "--target-sparsity", description = "Calibrate each layer's threshold to zero this fraction.")
    Double target;

    @Option(names = "--threshold", description = "One absolute threshold for every chosen layer.")
    Double threshold;

    @Option(names = "--layers", split = ",", description = "ReLU layers (default: all).")
    List<String> layers;

    @Option(names = "--images", defaultValue = "1000", description = "Validation images for calibration; "
            + "the next as many measure sparsity and accuracy.")
    int images;

    @Option(names = "--write-plan", paramLabel = "FILE", description = "Also write a plan file with these "
            + "thresholds (previewed, fine-tuned and exported with the rest of a plan; open it in the window).")
    java.nio.file.Path writePlan;

    @Override
    public Integer call() throws Exception {
        if ((target == null) == (threshold == null)) {
            throw new IllegalArgumentException("give either --target-sparsity or --threshold");
        }
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        LabeledImages val = models.loadData(m).validation();
        int n = Math.min(images, val.size() / 2);
        LabeledImages calib = val.slice(0, n, "calibration");
        LabeledImages measure = val.slice(n, 2 * n, "measurement");
        List<String> chosen = layers == null ? ActivationPruning.targets(m, tree) : layers;
        Map<String, Double> thresholds = new LinkedHashMap<>();
        if (threshold != null) {
            chosen.forEach(l -> thresholds.put(l, threshold));
        } else {
            thresholds.putAll(ActivationPruning.thresholdsFor(m.graph(), calib, chosen, target));
        }
        ComputationGraph pruned = ActivationPruning.apply(m, tree, thresholds);
        Map<String, Double> before = ActivationPruning.sparsity(m.graph(), measure, chosen, Progress.none());
        Map<String, Double> after = ActivationPruning.sparsity(pruned, measure, chosen, Progress.none());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String l : chosen) {
            rows.add(Map.of("layer", l, "threshold", thresholds.get(l), "sparsityBefore", before.get(l),
                    "sparsityAfter", after.get(l)));
        }
        PairedLatency.Result lat = PairedLatency.measure(m.graph(), pruned, m.inputShape(), m.channelsLast(), 64, 2, 15,
                Progress.none());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", measure.size());
        out.put("denseTop1", Evaluator.evaluate(m.graph(), m, measure, Progress.none()).top1());
        out.put("prunedTop1", Evaluator.evaluate(pruned, m, measure, Progress.none()).top1());
        out.put("layers", rows);
        out.put("denseBatch64Ms", lat.first().medianMs());
        out.put("batch64Ms", lat.second().medianMs());
        out.put("speed", "none: zero activations make neither DL4J's dense kernels faster nor the model smaller");
        if (writePlan != null) {
            LayerPlanFile.write(writePlan, m, thresholds,
                    (s, t) -> s.withActivation(io.lathe.compress.ActivationSetting.threshold(t)));
            out.put("plan", writePlan.toString());
        }
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-16s %s%n", k, v));
        }
        return 0;
    }
}
