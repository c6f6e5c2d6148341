package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.DataLoader;
import io.lathe.data.DataSplits;
import io.lathe.data.FashionMnist;
import io.lathe.data.Preprocessing;
import io.lathe.job.Progress;
import io.lathe.model.ResNetFactory;
import io.lathe.train.SampleTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code train-sample}: reproduces a bundled sample model from scratch. */
@Command(name = "train-sample", mixinStandardHelpOptions = true,
        description = "Train a sample ResNet on the Fashion-MNIST train split (fixed seed, best validation epoch kept).")
final class TrainSampleCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--arch", required = true, description = "resnet20 or resnet8")
    String arch;

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).", defaultValue = "10")
    int epochs;

    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).", defaultValue = "128")
    int batch;

    @Option(names = "--limit-train", description = "Use only the first N training images (quick checks).",
            defaultValue = "0")
    int limitTrain;

    @Option(names = "--data", description = "Folder with the four idx files (default: bundled Fashion-MNIST).")
    Path data;

    @Option(names = "--preprocess", paramLabel = "NAME|FILE", defaultValue = "unit",
            description = "Preprocessing the sample is trained with and records in its sidecar: raw, unit, "
                    + "pixel-mean, imagenet, cifar10 or a JSON file (default ${DEFAULT-VALUE}).")
    String preprocess;

    @Option(names = "--out", description = "Output zip (default sample-models/<arch>-fashion.zip).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ResNetFactory.Arch a = ResNetFactory.Arch.parse(arch);
        if (data != null && !FashionMnist.isIdxFolder(data)) {
            throw new IllegalArgumentException(data + ": train-sample reads a folder with the four idx files "
                    + "(train/t10k images and labels)");
        }
        DataSplits splits = DataLoader.load(data, new int[]{1, 28, 28}, Preprocessing.parse(preprocess));
        Path target = out != null ? out : Path.of("sample-models", a.key() + "-fashion.zip");
        var defaults = SampleTrainer.Settings.defaults(a);
        var settings = new SampleTrainer.Settings(a, epochs, batch, seed, defaults.learningRate(), defaults.l2(),
                limitTrain);
        String command = "java -jar target/lathe.jar train-sample --arch " + a.key() + " --epochs " + epochs
                + " --seed " + seed + ("unit".equals(preprocess) ? "" : " --preprocess " + preprocess)
                + (limitTrain > 0 ? " --limit-train " + limitTrain : "");
        SampleTrainer.Result r = SampleTrainer.train(settings, splits, target, command, Progress.none());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", r.model().toString());
        out.put("sidecar", r.sidecar().toString());
        out.put("bestEpoch", r.bestEpoch());
        out.put("validationTop1", r.validationTop1());
        out.put("testTop1", r.testTop1());
        out.put("wallSeconds", r.wallSeconds());
        if (common.json) {
            Json.print(out);
        } else {
            System.out.printf("wrote %s (best epoch %d: validation %.2f%%, test %.2f%%, %.0f s)%n", r.model(),
                    r.bestEpoch(), 100 * r.validationTop1(), 100 * r.testTop1(), r.wallSeconds());
        }
        return 0;
    }
}
