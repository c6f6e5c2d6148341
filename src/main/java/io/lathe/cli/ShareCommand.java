package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PlanJson;
import io.lathe.compress.SharedWeights;
import io.lathe.compress.ShareSetting;
import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Predictor;
import io.lathe.files.AtomicFiles;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.train.StructuredFineTuner;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code share}: weight sharing (k-means, 2^bits shared values per layer) on every weight layer, test
 * top-1 before and after an optional short fine-tuning of the centroids.
 */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = "Weight sharing (Deep Compression trained quantization) on every layer: accuracy without "
                + "and with a short centroid fine-tuning.")
final class ShareCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;
    @Mixin
    AugmentOptions augment;

    @Option(names = "--bits", defaultValue = "4", description = "Index bits: 2^bits shared values per layer.")
    int bits;

    @Option(names = "--finetune-epochs", defaultValue = "0", description = "Centroid fine-tuning epochs (<= 1 "
            + "is what the issue's bar allows; fractions allowed).")
    double epochs;

    @Option(names = "--lr", defaultValue = "0.0001", description = "Fine-tuning Adam learning rate.")
    double learningRate;

    @Option(names = "--limit-train", defaultValue = "0", description = "Fine-tune on the first N train images only.")
    int limitTrain;

    @Option(names = "--out", description = "Write the (fine-tuned) shared model zip and its plan here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        DataSplits data = models.loadData(m);
        Plan plan = Plan.empty(m.name(), m.sha256()).withDefaultShare(ShareSetting.bits(bits));
        CompressedModel shared = new PlanApplier(m, tree).apply(plan);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bits", bits);
        result.put("centroidsPerLayer", 1 << bits);
        result.put("denseTestTop1", top1(m.graph(), data.test()));
        result.put("sharedTestTop1", top1(shared.graph(), data.test()));
        result.put("sharedValidationTop1", top1(shared.graph(), data.validation()));
        result.put("fp32Bytes", shared.stats().fp32Bytes());
        result.put("sizeBytes", shared.stats().sizeBytes());
        result.put("compressionRatio", shared.stats().compressionRatio());
        ComputationGraph net = shared.graph();
        if (epochs > 0) {
            SharedWeights state = SharedWeights.of(shared);
            StructuredFineTuner.Settings settings = new StructuredFineTuner.Settings(epochs, 128, learningRate, 0, 42,
                    limitTrain).withAugmentation(augment.augmentation());
            StructuredFineTuner.Result ft = StructuredFineTuner.run(net, data, settings, state::refit,
                    Progress.none());
            net = ft.net();
            result.put("fineTunedValidationTop1", ft.validationTop1());
            result.put("fineTunedTestTop1", top1(net, data.test()));
            result.put("fineTune", Map.of("epochs", epochs, "lr", learningRate, "bestEpoch", ft.bestEpoch(),
                    "augmentation", settings.augmentationFor(data).describe(),
                    "history", ft.history(), "helper", "io.lathe.train.StructuredFineTuner with "
                            + "SharedWeights.refit after every step (centroid = mean of its members)"));
            result.put("maxDistinctWeightsPerLayer", maxDistinct(net, state));
        }
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            ComputationGraph written = net;
            AtomicFiles.write(out, stream -> ModelSerializer.writeModel(written, stream, false));
            AtomicFiles.writeString(out.resolveSibling(out.getFileName().toString().replaceFirst("\\.zip$", "")
                    + ".plan.json"), PlanJson.write(plan));
        }
        if (common.json) {
            Json.print(result);
        } else {
            result.forEach((k, v) -> System.out.printf("%-26s %s%n", k, v));
        }
        return 0;
    }

    private static int maxDistinct(ComputationGraph net, SharedWeights state) {
        int max = 0;
        for (String layer : state.codebooks().keySet()) {
            float[] w = net.getLayer(layer).getParam("W").dup('c').data().asFloat();
            java.util.Set<Float> values = new java.util.HashSet<>();
            for (float v : w) {
                if (v != 0f) {
                    values.add(v);
                }
            }
            max = Math.max(max, values.size());
        }
        return max;
    }

    private static double top1(ComputationGraph net, LabeledImages images) {
        return Predictor.accuracy(Predictor.predict(net, images, Predictor.DEFAULT_BATCH, Progress.none()), images);
    }
}
