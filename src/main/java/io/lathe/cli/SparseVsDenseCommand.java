package io.lathe.cli;

import io.lathe.files.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lathe.data.DataSplits;
import io.lathe.engine.Engine;
import io.lathe.files.AtomicFiles;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.train.FineTuneListener;
import io.lathe.train.FineTuneSettings;
import io.lathe.train.SparseVsDense;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sparse-vs-dense}: Zhu &amp; Gupta's large-sparse vs small-dense comparison at equal non-zeros. */
@Command(name = "sparse-vs-dense", mixinStandardHelpOptions = true,
        description = "Prune the large model (--model) to the small model's non-zero count, fine-tune both with the "
                + "same budget, and report test top-1 against non-zero weights.")
final class SparseVsDenseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    TrainingOptions training;
    @Mixin
    ModelOptions models;
    @Mixin
    AugmentOptions augment;

    @Option(names = "--small", required = true, description = "The small dense model (DL4J zip).")
    String small;

    @Option(names = "--epochs", required = true, description = "Fine-tuning epochs for each model.")
    int epochs;

    @Option(names = "--out", description = "Also write the result as JSON to this file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Engine.configure();
        LoadedModel large = models.loadModel();
        LoadedModel smallModel = ModelLoader.load(small);
        DataSplits data = models.loadData(large);
        FineTuneSettings s = new FineTuneSettings(epochs, training.batch, training.lr, training.seed, false, null, null, 0, null, false, training.limitTrain,
                augment.augmentation());
        SparseVsDense.Result r = new SparseVsDense(large, smallModel, data, s, FineTuneListener.none())
                .run(StderrProgress.every(30));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("large", large.name());
        o.put("small", smallModel.name());
        o.put("largeWeights", r.largeWeights());
        o.put("smallNonZero", r.smallNonZero());
        o.put("largeSparsity", r.largeSparsity());
        o.put("epochs", epochs);
        o.put("limitTrain", training.limitTrain);
        o.put("points", r.points());
        o.put("largeHistory", r.largeHistory());
        o.put("smallHistory", r.smallHistory());
        o.put("wallSeconds", Math.round(r.wallSeconds()));
        o.put("command", "java -jar target/lathe.jar " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        if (out != null) {
            AtomicFiles.write(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(o));
        }
        if (common.json) {
            Json.print(o);
        } else {
            for (SparseVsDense.Point p : r.points()) {
                System.out.printf("%-28s %-18s %,9d non-zero weights  test top-1 %.2f%%%n", p.model(), p.phase(),
                        p.nonZeroWeights(), 100 * p.testTop1());
            }
        }
        return 0;
    }
}
