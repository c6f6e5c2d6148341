package io.lathe.session;

import io.lathe.data.ClassCount;
import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.data.Preprocessing;
import io.lathe.eval.Evaluation;
import io.lathe.eval.Evaluator;
import io.lathe.eval.PreviewEngine;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data dialog's quick check on one model: reads a folder under a preprocessing and measures the
 * model, unchanged, on a class-stratified sample of the validation split. The spec {@value #MODEL_OWN}
 * stands for the preprocessing the model already has.
 */
final class DataProbes implements DataProbe {
    /** The spec that keeps the model's own preprocessing (one stated in a sidecar JSON, say). */
    static final String MODEL_OWN = "the model's own";

    private final LoadedModel model;

    DataProbes(LoadedModel model) {
        this.model = model;
    }

    @Override
    public List<String> presets() {
        List<String> out = new ArrayList<>(Preprocessing.PRESETS);
        if (!Preprocessing.PRESETS.contains(model.preprocessing().name())
                || !model.preprocessing().equals(Preprocessing.preset(model.preprocessing().name()))) {
            out.add(0, MODEL_OWN);
        }
        return out;
    }

    @Override
    public String describe(String spec) {
        return resolve(spec).describe();
    }

    @Override
    public Result measure(Path folder, String spec, int images, Progress progress) throws IOException {
        LoadedModel m = model.withPreprocessing(resolve(spec));
        progress.update(0, "reading " + folder.getFileName());
        DataSplits d = Workspace.loadData(folder, m);
        ClassCount.check(m.outputCount(), d);
        LabeledImages val = d.validation();
        int[] order = PreviewEngine.stratifiedOrder(val);
        int[] first = Arrays.copyOf(order, Math.min(images, order.length));
        LabeledImages sample = val.select(first, "first " + first.length + " validation images (stratified)");
        Evaluation e = Evaluator.evaluate(m.graph(), m, sample, progress.range(0.5, 1));
        return new Result(e.top1(), e.interval95(), e.images(), val.classes());
    }

    private Preprocessing resolve(String spec) {
        return MODEL_OWN.equals(spec) ? model.preprocessing() : Preprocessing.parse(spec);
    }
}
