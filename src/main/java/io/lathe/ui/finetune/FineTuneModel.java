package io.lathe.ui.finetune;

import io.lathe.compress.Plan;
import io.lathe.job.JobHandle;
import io.lathe.session.FineTuneRun;
import io.lathe.session.Workspace;
import io.lathe.train.AgpSchedule;
import io.lathe.train.FineTuneListener;
import io.lathe.train.FineTuneSettings;
import io.lathe.train.SavedCheckpoint;
import io.lathe.ui.Formats;
import io.lathe.ui.WorkbenchModel;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The Fine-tune tab's state and commands: the settings form with its validation (including the student:
 * the compressed model itself or a different network distilled from the unchanged one), the
 * gradual-pruning schedule curve and the expected duration before the start, Start/Pause/Resume/Cancel
 * of the job, continuing from the checkpoint a stopped run of the same settings left behind, the live
 * figures (loss per step, validation accuracy per epoch, current sparsity) and the result, which can be
 * opened as the workspace's model. Owns the large-sparse vs small-dense experiment's model. FX thread;
 * engine figures arrive through {@code fx}.
 */
public final class FineTuneModel {
    /** Where the job is. */
    public enum State { IDLE, RUNNING, PAUSED, DONE, CANCELLED, FAILED }

    private final WorkbenchModel wb;
    private final Executor fx;
    private final Path outputDir;
    private final Path checkpointRoot;
    private final SparseVsDenseModel experiment;
    private final FineTuneForm form = new FineTuneForm();
    private final ReadOnlyObjectWrapper<SavedCheckpoint> checkpoint = new ReadOnlyObjectWrapper<>(this, "checkpoint");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ObservableList<double[]> losses = FXCollections.observableArrayList();
    private final ObservableList<FineTuneListener.EpochRecord> epochs = FXCollections.observableArrayList();
    private final ReadOnlyDoubleWrapper sparsity = new ReadOnlyDoubleWrapper(this, "sparsity", Double.NaN);
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction");
    private final ReadOnlyObjectWrapper<FineTuneRun.Outcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private FineTuneRun run;
    private JobHandle<FineTuneRun.Outcome> handle;
    private long totalSteps;
    private final FxFeed<FineTuneListener.StepUpdate> steps;

    /**
     * @param wb        the workbench session
     * @param fx        hands engine-thread figures to the FX thread
     * @param outputDir where fine-tuned models, their plans and run records are written
     */
    public FineTuneModel(WorkbenchModel wb, Executor fx, Path outputDir) {
        this.wb = wb;
        this.fx = fx;
        this.outputDir = outputDir;
        this.checkpointRoot = outputDir.resolve("checkpoints");
        this.steps = new FxFeed<>(fx, this::addSteps);
        this.experiment = new SparseVsDenseModel(wb, fx, outputDir,
                io.lathe.data.AppHome.sampleModel(SparseVsDenseModel.SAMPLE_SMALL));
        wb.workspaceProperty().addListener((o, a, ws) -> {
            if (isActive()) {
                cancel();
            }
            clearCharts();
            outcome.set(null);
            state.set(State.IDLE);
            validate();
        });
        for (var field : form.fields()) {
            field.addListener(o -> validate());
        }
        wb.editor().planProperty().addListener(o -> validate());
        validate();
    }

    public FineTuneForm form() {
        return form;
    }

    /** The large-sparse vs small-dense experiment of the same tab. */
    public SparseVsDenseModel experiment() {
        return experiment;
    }

    /** Training steps per epoch on the workspace's train split (0 without data). */
    public int stepsPerEpoch() {
        Workspace ws = wb.workspace();
        return ws == null ? 0 : FineTuneRun.stepsPerEpoch(ws, FineTuneSettings.defaults());
    }

    /** How the training images are varied: the data's own augmentation, in words ("" without data). */
    public String augmentation() {
        Workspace ws = wb.workspace();
        return ws == null ? "" : ws.data().augmentation().describe();
    }

    private boolean sharesWeights(Workspace ws) {
        var plan = wb.editor().plan();
        return plan != null && ws.tree().prunableLayers().stream().anyMatch(l -> !plan.shareOf(l.name()).isNone());
    }

    /** Reads the form and the workspace; sets and returns the problem (null when a run can start). */
    public String validate() {
        Workspace ws = wb.workspace();
        String p;
        if (ws == null) {
            p = "open a model first";
        } else if (ws.data() == null) {
            p = "open data that fits the model: " + ws.dataProblem();
        } else {
            p = form.parse(stepsPerEpoch()).problem();
            if (p == null && form.gradualProperty().get() && sharesWeights(ws)) {
                p = "the plan shares weights, whose centroids are fine-tuned with the plan's final masks: switch "
                        + "off gradual pruning";
            }
        }
        problem.set(p);
        if (!isActive()) {
            refreshCheckpoint();
        }
        return p;
    }

    /** Looks for the checkpoint a stopped run of the current settings left behind. */
    private void refreshCheckpoint() {
        FineTuneForm.Parsed parsed = form.parse(stepsPerEpoch());
        boolean known = problem.get() == null && (parsed.studentSpec() != null || wb.editor().plan() != null);
        checkpoint.set(known ? FineTuneRun.checkpointIn(checkpointDir(parsed)).orElse(null) : null);
    }

    private Path checkpointDir(FineTuneForm.Parsed parsed) {
        return FineTuneRun.checkpointDir(checkpointRoot, wb.workspace(), wb.editor().plan(), parsed.settings(),
                parsed.studentSpec());
    }

    /** Global sparsity the plan asks for (fraction of the prunable weights), from the exact size model. */
    public double targetSparsity() {
        Workspace ws = wb.workspace();
        Plan p = wb.editor().plan();
        return ws == null || p == null ? 0 : ws.stats(p).sparsity();
    }

    /**
     * The gradual-pruning curve to plot before the start: (epoch, global sparsity) points from 0 to the
     * plan's sparsity; with the schedule off, the target from step 0. Empty while the form is invalid or
     * a different student is trained (no plan applies).
     */
    public List<double[]> scheduleCurve() {
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

    /**
     * The expected duration before the start, in seconds (an estimate): training images × epochs at
     * three times the measured inference time per image (forward and backward; four with a teacher),
     * plus one validation pass per epoch and the final test passes. NaN until the baseline is measured.
     */
    public double estimatedSeconds() {
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

    /** Starts fine-tuning the current plan afresh; returns the problem instead when the settings are not usable. */
    public String start() {
        return launch(false);
    }

    /**
     * Continues the run of the current settings from the checkpoint it left behind (after a crash, a
     * failure or a cancel); the epochs finished before it are shown again. Returns the problem instead
     * when there is no such checkpoint or the settings are not usable.
     */
    public String resumeFromCheckpoint() {
        if (!isActive() && validate() == null && checkpoint.get() == null) {
            return "no checkpoint of these settings to continue from; Start begins a new run";
        }
        return launch(true);
    }

    private String launch(boolean fromCheckpoint) {
        if (isActive()) {
            return "a fine-tune is already running";
        }
        String p = validate();
        if (p != null) {
            return p;
        }
        Workspace ws = wb.workspace();
        FineTuneForm.Parsed parsed = form.parse(stepsPerEpoch());
        SavedCheckpoint saved = fromCheckpoint ? checkpoint.get() : null;
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = outputDir.resolve(outputName(ws, parsed.studentSpec()) + "-" + stamp + ".zip");
        clearCharts();
        outcome.set(null);
        if (saved != null) {
            epochs.addAll(saved.history());
        }
        run = new FineTuneRun(ws, wb.editor().plan(), parsed.settings(), parsed.studentSpec(), out,
                checkpointDir(parsed), fromCheckpoint, new FineTuneListener() {
            @Override
            public void stepDone(StepUpdate u) {
                steps.add(u);
            }

            @Override
            public void epochDone(EpochRecord r) {
                fx.execute(() -> epochs.add(r));
            }
        });
        totalSteps = run.totalSteps();
        state.set(State.RUNNING);
        checkpoint.set(null);
        status.set(saved == null ? "starting: " + totalSteps + " steps, writing " + out.getFileName()
                : "continuing from the checkpoint at step " + saved.step() + " of " + totalSteps + ", writing "
                + out.getFileName());
        FineTuneRun mine = run;
        handle = wb.runner().submit(saved == null ? "Fine-tune" : "Fine-tune (continued)", mine,
                o -> fx.execute(() -> finished(mine, o)), t -> fx.execute(() -> failed(mine, t)));
        handle.result().whenComplete((v, t) -> {
            if (t != null && handle.state() == JobHandle.State.CANCELLED) {
                fx.execute(() -> {
                    if (run == mine) {
                        refreshCheckpoint();
                        state.set(State.CANCELLED);
                        status.set("cancelled; the loaded model is unchanged" + (checkpoint.get() == null ? ""
                                : "; Continue picks up from the checkpoint at step " + checkpoint.get().step()));
                    }
                });
            }
        });
        return null;
    }

    /** The output's base name: the model, and the student when a different network is trained. */
    private static String outputName(Workspace ws, String studentSpec) {
        if (studentSpec == null) {
            return ws.modelName() + "-ft";
        }
        String s = Path.of(studentSpec).getFileName().toString().replaceAll("\\.zip$", "");
        return ws.modelName() + "-student-" + s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Adds the steps reported since the last hand-over in one go (steps can come faster than redraws). */
    private void addSteps(List<FineTuneListener.StepUpdate> batch) {
        if (run == null || !isActive()) {
            return;
        }
        losses.addAll(batch.stream().map(u -> new double[]{u.step(), u.loss()}).toList());
        step(batch.get(batch.size() - 1));
    }

    private void step(FineTuneListener.StepUpdate u) {
        sparsity.set(u.sparsity());
        fraction.set((double) u.step() / u.totalSteps());
        if (state.get() == State.RUNNING) {
            double eta = handle == null ? Double.NaN : handle.etaSeconds();
            status.set(String.format(java.util.Locale.ROOT, "epoch %d, step %d of %d, loss %.4f, sparsity %.1f%%%s",
                    u.epoch(), u.step(), u.totalSteps(), u.loss(), 100 * u.sparsity(),
                    Double.isNaN(eta) ? "" : ", about " + Formats.duration(eta) + " left"));
        }
    }

    private void finished(FineTuneRun mine, FineTuneRun.Outcome o) {
        if (run != mine) {
            return;
        }
        outcome.set(o);
        refreshCheckpoint();
        fraction.set(1);
        status.set(String.format(java.util.Locale.ROOT, "done: test top-1 %.2f%% (unchanged model %.2f%%), sparsity %.1f%%, "
                + "epoch %d kept; wrote %s", 100 * o.testTop1(), 100 * o.denseTestTop1(), 100 * o.sparsity(),
                o.bestEpoch(), o.modelFile().getFileName()));
        state.set(State.DONE);
    }

    private void failed(FineTuneRun mine, Throwable t) {
        if (run != mine) {
            return;
        }
        refreshCheckpoint();
        status.set("stopped by an error" + (checkpoint.get() == null ? "" : "; Continue picks up from the checkpoint "
                + "at step " + checkpoint.get().step()));
        state.set(State.FAILED);
        wb.errors().report("Fine-tune", t);
    }

    /** Holds the job before its next step. */
    public void pause() {
        if (state.get() == State.RUNNING && run != null) {
            run.pause();
            state.set(State.PAUSED);
            status.set("paused (the engine waits; other jobs queue behind it)");
        }
    }

    /** Continues a paused job. */
    public void resume() {
        if (state.get() == State.PAUSED && run != null) {
            run.resume();
            state.set(State.RUNNING);
            status.set("resumed");
        }
    }

    /** Stops the job; the loaded model stays as it was. */
    public void cancel() {
        if (handle != null && isActive()) {
            handle.cancel();
            if (run != null) {
                run.resume();
            }
        }
    }

    /** Opens the fine-tuned model as the workspace's model (its plan file lies beside it). */
    public void openResult() {
        if (outcome.get() != null) {
            wb.openModel(outcome.get().modelFile());
        }
    }

    private boolean isActive() {
        return state.get() == State.RUNNING || state.get() == State.PAUSED;
    }

    private void clearCharts() {
        losses.clear();
        epochs.clear();
        sparsity.set(Double.NaN);
        fraction.set(0);
        status.set("");
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** The checkpoint a stopped run of the current settings left behind (null when none, or while running). */
    public ReadOnlyObjectProperty<SavedCheckpoint> checkpointProperty() {
        return checkpoint.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** (step, training loss) of every step of the running or last job. */
    public ObservableList<double[]> losses() {
        return losses;
    }

    /** One record per finished epoch (validation top-1 of the exported weights). */
    public ObservableList<FineTuneListener.EpochRecord> epochs() {
        return epochs;
    }

    /** Masked fraction of the prunable weights now (NaN before the first step). */
    public ReadOnlyDoubleProperty sparsityProperty() {
        return sparsity.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<FineTuneRun.Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Validation top-1 of the unchanged model (the accuracy chart's baseline), NaN until measured. */
    public double baselineTop1() {
        var b = wb.baselineProperty().get();
        return b == null ? Double.NaN : b.top1();
    }

    public WorkbenchModel workbench() {
        return wb;
    }
}
