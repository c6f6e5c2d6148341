package io.lathe.ui.finetune;

import io.lathe.compress.Plan;
import io.lathe.session.FineTuneRun;
import io.lathe.session.Workspace;
import io.lathe.train.AgpSchedule;
import io.lathe.train.FineTuneSettings;
import io.lathe.train.SavedCheckpoint;
import io.lathe.ui.WorkbenchModel;

import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;

/**
 * What the Fine-tune tab shows before the start: steps per epoch, the plan's target sparsity, the
 * gradual-pruning curve and the expected duration, from the form and the open workspace. FX thread.
 */
final class FineTuneOutlook {
    private final WorkbenchModel wb;
    private final FineTuneForm form;

    FineTuneOutlook(WorkbenchModel wb, FineTuneForm form) {
        this.wb = wb;
        this.form = form;
    }

    int stepsPerEpoch() {
        Workspace ws = wb.workspace();
        return ws == null ? 0 : FineTuneRun.stepsPerEpoch(ws, FineTuneSettings.defaults());
    }

    double targetSparsity() {
        Workspace ws = wb.workspace();
        Plan p = wb.editor().plan();
        return ws == null || p == null ? 0 : ws.stats(p).sparsity();
    }

    List<double[]> scheduleCurve() {
        List<double[]> out = new ArrayList<>();
        int per = stepsPerEpoch();
        FineTuneForm.Parsed parsed = form.parse(Math.max(1, per));
        if (!parsed.ok() || per == 0 || parsed.studentSpec() != null) {
            return out;
        }
        FineTuneSettings s = parsed.settings();
        double target = targetSparsity();
        long total = (long) per * s.epochs();
        AgpSchedule sched = s.schedule();
        if (sched == null) {
            out.add(new double[]{0, target});
            out.add(new double[]{s.epochs(), target});
            return out;
        }
        AgpSchedule.Point prev = null;
        for (AgpSchedule.Point pt : sched.curve(0, target, total)) {
            if (prev != null) {
                out.add(new double[]{(double) pt.step() / per, prev.sparsity()});
            }
            out.add(new double[]{(double) pt.step() / per, pt.sparsity()});
            prev = pt;
        }
        return out;
    }

    double estimatedSeconds() {
        Workspace ws = wb.workspace();
        FineTuneForm.Parsed parsed = form.parse(Math.max(1, stepsPerEpoch()));
        if (ws == null || ws.data() == null || ws.baseline() == null || !parsed.ok() || ws.baseline().images() == 0) {
            return Double.NaN;
        }
        double perImage = ws.baseline().seconds() / ws.baseline().images();
        FineTuneSettings s = parsed.settings();
        double train = (double) ws.data().train().size() * s.epochs() * perImage * (s.distillation() == null ? 3 : 4);
        double val = (double) ws.data().validation().size() * s.epochs() * perImage;
        double test = 2.0 * ws.data().test().size() * perImage;
        return train + val + test;
    }

    /** True when the plan shares weights in some prunable layer. */
    boolean sharesWeights(Workspace ws) {
        var plan = wb.editor().plan();
        return plan != null && ws.tree().prunableLayers().stream().anyMatch(l -> !plan.shareOf(l.name()).isNone());
    }

    /** The output's base name: the model, and the student when a different network is trained. */
    static String outputName(Workspace ws, String studentSpec) {
        if (studentSpec == null) {
            return ws.modelName() + "-ft";
        }
        String s = Path.of(studentSpec).getFileName().toString().replaceAll("\\.zip$", "");
        return ws.modelName() + "-student-" + s.replaceAll("[^A-Za-z0-9._-]", "_");
    }


    /** Why a run cannot start with the form and workspace as they are, or null when it can. */
    String problem() {
        Workspace ws = wb.workspace();
        if (ws == null) {
            return "open a model first";
        }
        if (ws.data() == null) {
            return "open data that fits the model: " + ws.dataProblem();
        }
        String p = form.parse(stepsPerEpoch()).problem();
        if (p == null && form.gradualProperty().get() && sharesWeights(ws)) {
            p = "the plan shares weights, whose centroids are fine-tuned with the plan's final masks: switch "
                    + "off gradual pruning";
        }
        return p;
    }

    /** The checkpoint folder of a run with these settings under {@code root}. */
    Path checkpointDir(Path root, FineTuneForm.Parsed parsed) {
        return FineTuneRun.checkpointDir(root, wb.workspace(), wb.editor().plan(), parsed.settings(),
                parsed.studentSpec());
    }

    /** The checkpoint a stopped run of the current settings left under {@code root}, or null. */
    SavedCheckpoint checkpoint(Path root) {
        FineTuneForm.Parsed parsed = form.parse(stepsPerEpoch());
        boolean known = parsed.studentSpec() != null || wb.editor().plan() != null;
        return known ? FineTuneRun.checkpointIn(checkpointDir(root, parsed)).orElse(null) : null;
    }

    String augmentation() {
        Workspace ws = wb.workspace();
        return ws == null ? "" : ws.data().augmentation().describe();
    }
}
