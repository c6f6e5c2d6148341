package io.lathe.ui.finetune;

import io.lathe.session.FineTuneRun;
import io.lathe.session.Workspace;
import io.lathe.train.FineTuneListener;
import io.lathe.train.SavedCheckpoint;
import io.lathe.ui.WorkbenchModel;
import io.lathe.worker.FineTuneEvents;
import io.lathe.worker.FineTuneLanes;
import io.lathe.worker.FineTuneRequest;
import io.lathe.worker.RunningFineTune;
import io.lathe.worker.WorkerException;
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
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The Fine-tune tab's state and commands: the settings form with its validation (including the student:
 * the compressed model itself or a different network distilled from the unchanged one), the
 * gradual-pruning schedule curve and the expected duration before the start, Start/Pause/Resume/Cancel
 * of the job, continuing from the checkpoint a stopped run of the same settings left behind, the live
 * figures (loss per step, validation accuracy per epoch, current sparsity) and the result, which can be
 * opened as the workspace's model. Runs go to a worker process where the workspace can be rebuilt from
 * files ({@link FineTuneLanes}); a worker that dies leaves the run failed with its cause and last log
 * lines, and Continue resumes it from its checkpoint. Owns the large-sparse vs small-dense experiment's
 * model. FX thread; engine and worker figures arrive through {@code fx}.
 */
public final class FineTuneModel {
    /** Where the job is. */
    public enum State { IDLE, RUNNING, PAUSED, DONE, CANCELLED, FAILED }

    private final WorkbenchModel wb;
    private final Executor fx;
    private final Path outputDir;
    private final Path checkpointRoot;
    private final FineTuneLanes lanes;
    private final SparseVsDenseModel experiment;
    private final FineTuneForm form = new FineTuneForm();
    private final FineTuneOutlook outlook;
    private final ReadOnlyObjectWrapper<SavedCheckpoint> checkpoint = new ReadOnlyObjectWrapper<>(this, "checkpoint");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ObservableList<double[]> losses = FXCollections.observableArrayList();
    private final ObservableList<FineTuneListener.EpochRecord> epochs = FXCollections.observableArrayList();
    private final ReadOnlyDoubleWrapper sparsity = new ReadOnlyDoubleWrapper(this, "sparsity", Double.NaN);
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction");
    private final ReadOnlyObjectWrapper<FineTuneRun.Outcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper workerLog = new ReadOnlyStringWrapper(this, "workerLog", "");
    private final FxFeed<FineTuneListener.StepUpdate> steps;
    private Launch current;

    /**
     * @param wb        the workbench session
     * @param fx        hands engine-thread figures to the FX thread
     * @param outputDir where fine-tuned models, their plans and run records are written (and the workers'
     *                  working folders, under {@code workers/})
     */
    public FineTuneModel(WorkbenchModel wb, Executor fx, Path outputDir) {
        this(wb, fx, outputDir, FineTuneLanes.forWindow(wb.runner(), outputDir.resolve("workers")));
    }

    /** As {@link #FineTuneModel(WorkbenchModel, Executor, Path)}, with the lanes a run may go to. */
    public FineTuneModel(WorkbenchModel wb, Executor fx, Path outputDir, FineTuneLanes lanes) {
        this.wb = wb;
        this.fx = fx;
        this.outputDir = outputDir;
        this.checkpointRoot = outputDir.resolve("checkpoints");
        this.lanes = lanes;
        this.outlook = new FineTuneOutlook(wb, form);
        this.steps = new FxFeed<>(fx, this::addSteps);
        this.experiment = new SparseVsDenseModel(wb, fx, outputDir,
                io.lathe.data.AppHome.sampleModel(SparseVsDenseModel.SAMPLE_SMALL));
        wb.workspaceProperty().addListener((o, a, ws) -> {
            if (isActive()) {
                cancel();
            }
            current = null;
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
        return outlook.stepsPerEpoch();
    }

    /** How the training images are varied: the data's own augmentation, in words ("" without data). */
    public String augmentation() {
        return outlook.augmentation();
    }

    /** Reads the form and the workspace; sets and returns the problem (null when a run can start). */
    public String validate() {
        String p = outlook.problem();
        problem.set(p);
        if (!isActive()) {
            refreshCheckpoint();
        }
        return p;
    }

    /** Looks for the checkpoint a stopped run of the current settings left behind. */
    private void refreshCheckpoint() {
        checkpoint.set(problem.get() == null ? outlook.checkpoint(checkpointRoot) : null);
    }

    /** Global sparsity the plan asks for (fraction of the prunable weights), from the exact size model. */
    public double targetSparsity() {
        return outlook.targetSparsity();
    }

    /**
     * The gradual-pruning curve to plot before the start: (epoch, global sparsity) points from 0 to the
     * plan's sparsity; with the schedule off, the target from step 0. Empty while the form is invalid or
     * a different student is trained (no plan applies).
     */
    public List<double[]> scheduleCurve() {
        return outlook.scheduleCurve();
    }

    /**
     * The expected duration before the start, in seconds (an estimate): training images × epochs at
     * three times the measured inference time per image (forward and backward; four with a teacher),
     * plus one validation pass per epoch and the final test passes. NaN until the baseline is measured.
     */
    public double estimatedSeconds() {
        return outlook.estimatedSeconds();
    }

    /** Starts fine-tuning the current plan afresh; returns the problem instead when the settings are not usable. */
    public String start() {
        return launch(false);
    }

    /**
     * Continues the run of the current settings from the checkpoint it left behind (after a crash, a
     * failure, a dead worker or a cancel); the epochs finished before it are shown again. Returns the
     * problem instead when there is no such checkpoint or the settings are not usable.
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
        Path out = outputDir.resolve(FineTuneOutlook.outputName(ws, parsed.studentSpec()) + "-" + stamp + ".zip");
        clearCharts();
        outcome.set(null);
        if (saved != null) {
            epochs.addAll(saved.history());
        }
        FineTuneRequest request = FineTuneRequest.of(ws, wb.editor().plan(), parsed.settings(), parsed.studentSpec(),
                out, outlook.checkpointDir(checkpointRoot, parsed), fromCheckpoint);
        FineTuneLanes.Choice lane = lanes.choose(ws);
        long total = (long) FineTuneRun.stepsPerEpoch(ws, parsed.settings()) * parsed.settings().epochs();
        Launch mine = new Launch(lane.worker());
        current = mine;
        state.set(State.RUNNING);
        checkpoint.set(null);
        status.set(FineTuneStatus.starting(lane.note(), saved, total, out));
        mine.running = lane.lane().start(saved == null ? "Fine-tune" : "Fine-tune (continued)", request, ws, mine);
        return null;
    }

    /** Adds the steps reported since the last hand-over in one go (steps can come faster than redraws). */
    private void addSteps(List<FineTuneListener.StepUpdate> batch) {
        if (current == null || !isActive()) {
            return;
        }
        losses.addAll(batch.stream().map(u -> new double[]{u.step(), u.loss()}).toList());
        step(batch.get(batch.size() - 1));
    }

    private void step(FineTuneListener.StepUpdate u) {
        sparsity.set(u.sparsity());
        fraction.set((double) u.step() / u.totalSteps());
        if (state.get() == State.RUNNING) {
            double eta = current.running == null ? Double.NaN : current.running.etaSeconds();
            status.set(FineTuneStatus.step(u, eta));
        }
    }

    private void finished(FineTuneRun.Outcome o) {
        outcome.set(o);
        refreshCheckpoint();
        fraction.set(1);
        status.set(FineTuneStatus.done(o));
        state.set(State.DONE);
    }

    private void failed(Throwable t) {
        refreshCheckpoint();
        if (t instanceof WorkerException w) {
            workerLog.set(String.join("\n", w.lastLines()));
        }
        status.set(FineTuneStatus.failed(t, checkpoint.get()));
        state.set(State.FAILED);
        wb.errors().report("Fine-tune", t);
    }

    private void cancelled() {
        refreshCheckpoint();
        state.set(State.CANCELLED);
        status.set(FineTuneStatus.cancelled(checkpoint.get()));
    }

    /** Holds the job before its next step. */
    public void pause() {
        if (state.get() == State.RUNNING && current.running != null) {
            current.running.pause();
            state.set(State.PAUSED);
            status.set(FineTuneStatus.paused(current.worker));
        }
    }

    /** Continues a paused job. */
    public void resume() {
        if (state.get() == State.PAUSED && current.running != null) {
            current.running.resume();
            state.set(State.RUNNING);
            status.set("resumed");
        }
    }

    /** Stops the job (in a worker: a cancel message, then a kill after a grace period); the loaded model stays as it was. */
    public void cancel() {
        if (current != null && current.running != null && isActive()) {
            current.running.cancel();
        }
    }

    /** Opens the fine-tuned model as the workspace's model (its plan file lies beside it). */
    public void openResult() {
        if (outcome.get() != null) {
            wb.workspaces().openModel(outcome.get().modelFile());
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
        workerLog.set("");
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

    /** The last lines of a failed worker's log ("" unless the last run failed in a worker). */
    public ReadOnlyStringProperty workerLogProperty() {
        return workerLog.getReadOnlyProperty();
    }

    /** Validation top-1 of the unchanged model (the accuracy chart's baseline), NaN until measured. */
    public double baselineTop1() {
        var b = wb.baselineProperty().get();
        return b == null ? Double.NaN : b.top1();
    }

    public WorkbenchModel workbench() {
        return wb;
    }

    /** One start of a run: where it runs, its commands, and its events, handed to the FX thread unless stale. */
    private final class Launch implements FineTuneEvents {
        final boolean worker;
        volatile RunningFineTune running;

        Launch(boolean worker) {
            this.worker = worker;
        }

        private void later(Runnable r) {
            fx.execute(() -> {
                if (current == this) {
                    r.run();
                }
            });
        }

        @Override
        public void stepDone(StepUpdate update) {
            steps.add(update);
        }

        @Override
        public void epochDone(EpochRecord record) {
            later(() -> epochs.add(record));
        }

        @Override
        public void progress(double f, String message) {
            later(() -> {
                if (losses.isEmpty() && state.get() == State.RUNNING) {
                    status.set(message);
                }
            });
        }

        @Override
        public void succeeded(FineTuneRun.Outcome o) {
            later(() -> finished(o));
        }

        @Override
        public void failed(Throwable cause) {
            later(() -> FineTuneModel.this.failed(cause));
        }

        @Override
        public void cancelled() {
            later(FineTuneModel.this::cancelled);
        }
    }
}
