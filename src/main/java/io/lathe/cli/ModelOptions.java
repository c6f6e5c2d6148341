package io.lathe.cli;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanException;
import io.lathe.compress.PlanJson;
import io.lathe.data.ClassCount;
import io.lathe.data.DataRequest;
import io.lathe.data.DataSplits;
import io.lathe.data.Preprocessing;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.ModelPreprocessingStore;
import io.lathe.model.ModelSidecar;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The --model / --data / --preprocess / --plan options shared by subcommands, and their loading. */
final class ModelOptions {
    @Option(names = "--model", required = true,
            description = "ONNX file, Keras .h5 (or architecture .json with its weights .h5 beside it), DL4J "
                    + "model zip, or zoo:resnet50 (architecture only).")
    String model;

    @Option(names = "--data", description = "Data folder: four idx files, CIFAR-10 binary batches, or one "
            + "sub-folder per class, optionally under train/ val/ test/ (default: bundled Fashion-MNIST).")
    Path data;

    @Option(names = "--preprocess", paramLabel = "NAME|FILE",
            description = "How the model expects its pixels: raw, unit, pixel-mean, imagenet, cifar10, or a JSON "
                    + "file. Overrides what the model states (default: the model's own, else unit = x/255).")
    String preprocess;

    @Option(names = "--remember", description = "Remember --preprocess for this model file (by its SHA-256).")
    boolean remember;

    /** Opens the model, with {@code --preprocess} (if given) in place of its own preprocessing. */
    LoadedModel loadModel() throws IOException {
        if (remember && preprocess == null) {
            throw new IllegalArgumentException("--remember needs --preprocess NAME|FILE");
        }
        Preprocessing override = preprocess == null ? null : Preprocessing.parse(preprocess);
        LoadedModel m = ModelLoader.load(model);
        if (override == null) {
            return m;
        }
        if (remember) {
            ModelPreprocessingStore.inConfigFolder().save(m.sha256(), override);
        }
        return m.withPreprocessing(override);
    }

    /**
     * Reads the data, preprocessed as the model says, its classes matched by name to the model's
     * sidecar {@code "classNames"} when it lists them, and refuses it when its class count differs from
     * the model's outputs. Says on stderr when the preprocessing was assumed rather than stated.
     */
    DataSplits loadData(LoadedModel m) throws IOException {
        return loadData(m, dataRequest(m));
    }

    /** Where {@link #loadData(LoadedModel)} reads from, as values another process can read the same data with. */
    DataRequest dataRequest(LoadedModel m) throws IOException {
        return DataRequest.of(data, m.inputShape(), m.preprocessing(), ModelSidecar.classNames(m.origin()));
    }

    /** Reads {@code request} for {@code m}, checked and noted as {@link #loadData(LoadedModel)} says. */
    static DataSplits loadData(LoadedModel m, DataRequest request) throws IOException {
        DataSplits d = request.open();
        ClassCount.check(m.outputCount(), d);
        m.notes().stream().filter(n -> n.startsWith("No preprocessing stated"))
                .forEach(n -> System.err.println("lathe: note: " + n));
        return d;
    }

    /** Reads and checks a plan file against the model. */
    static Plan readPlan(Path file, LoadedModel m, LayerTree tree) throws IOException, PlanException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": plan file not found");
        }
        try {
            return PlanJson.read(text, tree, m.sha256());
        } catch (PlanException e) {
            throw new PlanException(e.line(), e.field(), file.getFileName() + ": " + e.getMessage()
                    .substring(e.getMessage().indexOf(": ") + 2));
        }
    }
}
