package io.lathe.cli;

import io.lathe.files.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.DataSplits;
import io.lathe.engine.Engine;
import io.lathe.eval.PairedLatency;
import io.lathe.eval.Predictor;
import io.lathe.files.AtomicFiles;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.structure.StructuredCompressor;
import io.lathe.train.Distillation;
import io.lathe.train.StructuredFineTuner;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code prune-channels}: physically removes channels (plan or uniform sparsity), optionally fine-tunes
 * the smaller network, and writes the model zip, its plan and a JSON sidecar with measured figures.
 */
@Command(name = "prune-channels", mixinStandardHelpOptions = true,
        description = "Remove channels physically (smaller, faster network), optionally fine-tune, and write "
                + "model.zip + model.plan.json + model.json with measured accuracy and latency.")
final class PruneChannelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;
    @Mixin
    AugmentOptions augment;

    @Option(names = "--plan", description = "Plan whose channel-granularity settings say what to remove.")
    Path plan;

    @Option(names = "--sparsity", description = "Without --plan: remove this fraction of channels everywhere.")
    Double sparsity;

    @Option(names = "--round-to", defaultValue = "1", description = "Round kept channel counts up to a multiple "
            + "of this (1, 8 or 16; default ${DEFAULT-VALUE}).")
    int roundTo;

    @Option(names = "--finetune-epochs", defaultValue = "0", description = "Fine-tuning epochs (fractions allowed).")
    double epochs;

    @Option(names = "--lr", defaultValue = "0.001", description = "Fine-tuning Adam learning rate.")
    double learningRate;

    @Option(names = "--limit-train", defaultValue = "0", description = "Fine-tune on the first N train images only.")
    int limitTrain;

    @Option(names = "--out", required = true, description = "Model zip to write; the plan and sidecar go next to it.")
    Path out;

    @Option(names = "--distill", description = "Fine-tune by distilling from the unpruned model (the teacher).")
    boolean distill;

    @Option(names = "--alpha", defaultValue = "0.5", description = "Distillation weight (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--temperature", defaultValue = "4", description = "Distillation temperature (default ${DEFAULT-VALUE}).")
    double temperature;

    @Override
    public Integer call() throws Exception {
        if ((plan == null) == (sparsity == null)) {
            throw new IllegalArgumentException("give either --plan or --sparsity");
        }
        Distillation distillation = distill ? new Distillation(alpha, temperature) : null;
        if (distill && !(epochs > 0)) {
            throw new IllegalArgumentException("--distill needs --finetune-epochs > 0");
        }
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        Plan p = plan != null ? ModelOptions.readPlan(plan, m, tree)
                : Plan.empty(m.name(), m.sha256()).withDefaults(
                        PruneSetting.sparsity(Granularity.CHANNEL, sparsity), QuantSetting.NONE);
        DataSplits data = models.loadData(m);
        StructuredCompressor.Result r = StructuredCompressor.apply(m, tree, p, roundTo, Progress.none());
        Map<String, Object> side = new LinkedHashMap<>();
        side.put("format", "lathe-structured-sidecar");
        side.put("description", "Channel-pruned " + m.name() + ": channels removed physically, coupling groups "
                + "pruned together" + (epochs > 0 ? ", then fine-tuned" : ""));
        side.put("inputShape", m.inputShape());
        side.put("preprocess", data.preprocessing().toNode());
        if (data.pixelMean() != null) {
            side.put("pixelMeanImage", data.pixelMean().toNode(data.preprocessing().scale()));
        }
        side.put("baseModel", Map.of("name", m.name(), "sha256", m.sha256(), "params", m.parameterCount()));
        side.put("parameters", r.model().parameterCount());
        side.put("roundTo", roundTo);
        Map<String, Object> kept = new LinkedHashMap<>();
        r.selection().kept().forEach((k, v) -> kept.put(k, v.length + "/" + r.selection().original().get(k)));
        side.put("keptChannels", kept);
        side.put("notes", r.notes());
        double denseVal = top1(m.graph(), data.validation());
        double prunedVal = top1(r.compressed().graph(), data.validation());
        ComputationGraph result = r.compressed().graph();
        if (epochs > 0) {
            StructuredFineTuner.Settings settings = new StructuredFineTuner.Settings(epochs, 128, learningRate, 5e-5,
                    42, limitTrain, out.resolveSibling(out.getFileName() + ".best")).withDistillation(distillation)
                    .withAugmentation(augment.augmentation());
            StructuredFineTuner.Result ft = StructuredFineTuner.run(result, m.graph(), data, settings, null,
                    Progress.none());
            result = ft.net();
            Map<String, Object> fine = new LinkedHashMap<>();
            fine.put("epochs", epochs);
            fine.put("batch", 128);
            fine.put("optimizer", "Adam lr " + learningRate + " x1 / x0.3 at 50% / x0.1 at 75% / x0.03 at 90%");
            fine.put("l2", 5e-5);
            fine.put("augmentation", settings.augmentationFor(data).describe());
            fine.put("seed", 42);
            fine.put("distillation", distillation == null ? "off" : "from " + m.name() + ", alpha "
                    + distillation.alpha() + ", T " + distillation.temperature());
            fine.put("bestEpoch", ft.bestEpoch());
            fine.put("history", ft.history());
            fine.put("helper", "io.lathe.train.StructuredFineTuner (no masks: the network is physically smaller)");
            side.put("fineTune", fine);
        }
        Map<String, Object> acc = new LinkedHashMap<>();
        acc.put("denseValidationTop1", denseVal);
        acc.put("prunedValidationTop1BeforeFineTune", prunedVal);
        acc.put("validationTop1", top1(result, data.validation()));
        acc.put("denseTestTop1", top1(m.graph(), data.test()));
        acc.put("testTop1", top1(result, data.test()));
        side.put("accuracy", acc);
        PairedLatency.Result b1 = PairedLatency.measure(m.graph(), result, m.inputShape(), m.channelsLast(), 1, 10, 100,
                Progress.none());
        PairedLatency.Result b64 = PairedLatency.measure(m.graph(), result, m.inputShape(), m.channelsLast(), 64, 3, 30,
                Progress.none());
        side.put("latency", Map.of("denseBatch1Ms", b1.first().medianMs(), "batch1Ms", b1.second().medianMs(),
                "denseBatch64Ms", b64.first().medianMs(), "batch64Ms", b64.second().medianMs(),
                "speedupBatch1", b1.speedup(), "speedupBatch64", b64.speedup(),
                "method", "median of alternating calls, one random batch", "engine", Engine.status().toString()));
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        ComputationGraph written = result;
        AtomicFiles.write(out, stream -> ModelSerializer.writeModel(written, stream, false));
        String base = out.getFileName().toString().replaceFirst("\\.zip$", "");
        Path planFile = out.resolveSibling(base + ".plan.json");
        AtomicFiles.writeString(planFile, PlanJson.write(p));
        side.put("plan", planFile.getFileName().toString());
        side.put("command", "java -jar target/lathe.jar "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        Path sidecar = out.resolveSibling(base + ".json");
        AtomicFiles.write(sidecar, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(side));
        Files.deleteIfExists(out.resolveSibling(out.getFileName() + ".best"));
        if (common.json) {
            Json.print(side);
        } else {
            System.out.printf("wrote %s, %s, %s%n", out, planFile, sidecar);
            System.out.printf("test top-1 %.4f (dense %.4f); batch-64 %.2f ms vs %.2f ms dense (%.2fx)%n",
                    acc.get("testTop1"), acc.get("denseTestTop1"), b64.second().medianMs(), b64.first().medianMs(),
                    b64.speedup());
        }
        return 0;
    }

    private static double top1(ComputationGraph net, io.lathe.data.LabeledImages images) {
        return Predictor.accuracy(Predictor.predict(net, images, Predictor.DEFAULT_BATCH, Progress.none()), images);
    }
}
