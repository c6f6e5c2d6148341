package io.lathe.cli;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanException;
import io.lathe.compress.PlanJson;
import io.lathe.data.DataLoader;
import io.lathe.data.DataSplits;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The --model / --data / --plan options shared by subcommands, and their loading. */
final class ModelOptions {
    @Option(names = "--model", required = true,
            description = "DL4J model zip, Keras .h5, or zoo:resnet50 (architecture only).")
    String model;

    @Option(names = "--data", description = "Data folder: four idx files, or one sub-folder per class "
            + "(default: bundled Fashion-MNIST).")
    Path data;

    LoadedModel loadModel() throws IOException {
        return ModelLoader.load(model);
    }

    DataSplits loadData(LoadedModel m) throws IOException {
        return DataLoader.load(data, m.inputShape());
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
