package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.DataSplits;
import io.lathe.eval.PreviewUpdate;
import io.lathe.files.AtomicFiles;
import io.lathe.job.EngineRunner;
import io.lathe.session.PlanJournal;
import io.lathe.session.UserSettings;
import io.lathe.session.Workspace;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The workbench's session: the open workspace (model + data), the plan being edited, the selected
 * layer, the live preview, latency, and the file commands (open model/data/plan, save plan). Engine
 * work is submitted to the {@link EngineRunner}; results arrive on the FX thread. Every plan change is
 * journaled ({@link EditJournal}) and a journaled plan newer than the remembered one is restored when
 * its model is opened. FX thread.
 */
public final class WorkbenchModel {
    private final EngineRunner runner;
    private final ErrorReporter errors;
    private final UserSettings settings;
    private final PlanEditor editor = new PlanEditor();
    private final LayerEditor layers = new LayerEditor(editor);
    private final PreviewModel preview;
    private final ReadOnlyObjectWrapper<Workspace> workspace = new ReadOnlyObjectWrapper<>(this, "workspace");
    private final ReadOnlyObjectWrapper<PreviewUpdate> baseline = new ReadOnlyObjectWrapper<>(this, "baseline");
    private final ReadOnlyObjectWrapper<ModelStats> baseStats = new ReadOnlyObjectWrapper<>(this, "baseStats");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyObjectWrapper<Path> planFile = new ReadOnlyObjectWrapper<>(this, "planFile");
    private final ReadOnlyStringWrapper engineStatus = new ReadOnlyStringWrapper(this, "engineStatus", "engine starting…");
    private final ReadOnlyObjectWrapper<Workspace.LatencyReport> latency = new ReadOnlyObjectWrapper<>(this, "latency");
    private final ReadOnlyBooleanWrapper measuringLatency = new ReadOnlyBooleanWrapper(this, "measuringLatency");
    private final ReadOnlyObjectWrapper<java.util.Map<String, LayerSensitivity>> sensitivity =
            new ReadOnlyObjectWrapper<>(this, "sensitivity", java.util.Map.of());
    private final ObservableList<String> notices = FXCollections.observableArrayList();
    /** One read-only view, kept: listeners on a discarded unmodifiable wrapper are dropped with it. */
    private final ObservableList<String> readOnlyNotices = FXCollections.unmodifiableObservableList(notices);
    private final EditJournal journal;
    private boolean restoreLastPlan = true;

    /**
     * @param runner   the engine runner (its callbacks must run on the FX thread)
     * @param fx       hands engine-side preview updates to the FX thread
     * @param delay    the debounce clock for previews
     * @param errors   where failures are shown
     * @param settings remembered files and the last plan
     */
    public WorkbenchModel(EngineRunner runner, Executor fx, Delay delay, ErrorReporter errors, UserSettings settings) {
        this(runner, fx, delay, errors, settings, Runnable::run);
    }

    /**
     * @param journalWriter runs the journal's file writes in order (a background thread in the app; the
     *                      calling thread in tests); the journal lives in the settings folder
     */
    public WorkbenchModel(EngineRunner runner, Executor fx, Delay delay, ErrorReporter errors, UserSettings settings,
                          Executor journalWriter) {
        this.runner = runner;
        this.errors = errors;
        this.settings = settings;
        this.preview = new PreviewModel(runner, fx, delay, t -> errors.report("Preview", t));
        this.journal = new EditJournal(PlanJournal.in(settings), delay, journalWriter, fx, notices::add,
                Clock.systemDefaultZone());
        notices.addAll(settings.problems());
        editor.setOnChange((plan, immediate) -> {
            preview.request(plan, immediate);
            journal.changed(plan, immediate, editor.dirtyProperty().get());
        });
    }

    /**
     * The plan a newly opened model starts from: nothing compressed, BatchNorm calibration on (on the
     * workspace's default number of training images, or the {@value #BN_IMAGES_PROPERTY} system
     * property) when the data has training images.
     */
    static Plan startPlan(Workspace ws) {
        int images = Integer.getInteger(BN_IMAGES_PROPERTY, ws.bnImages());
        return ws.emptyPlan().withBatchNormImages(Math.max(0, Math.min(images, ws.bnImages())));
    }

    /** System property: training images new plans calibrate BatchNorm on (0 = off). */
    public static final String BN_IMAGES_PROPERTY = "lathe.bnCalibrationImages";

    /** Switches the plan's BatchNorm calibration on or off (an undoable edit). FX thread. */
    public void setBatchNormCalibration(boolean on) {
        Workspace ws = workspace.get();
        Plan plan = editor.plan();
        if (ws == null || plan == null || (plan.batchNormImages() > 0) == on) {
            return;
        }
        if (on && ws.bnImages() == 0) {
            errors.report("BatchNorm calibration", new IllegalStateException("the open data has no training images: "
                    + "open a data folder with a train split to calibrate BatchNorm"));
            return;
        }
        editor.edit(on ? "Calibrate BatchNorm on " + ws.bnImages() + " training images" : "No BatchNorm calibration",
                plan.withBatchNormImages(on ? ws.bnImages() : 0));
    }

    /** Reads the engine configuration for the status bar (in the background). */
    public void probeEngine() {
        runner.submit("Engine status", p -> io.lathe.engine.Engine.status().toString(), engineStatus::set,
                t -> engineStatus.set("engine unavailable: " + t.getMessage()));
    }

    /** Opens a model file with the current data (the bundled data if none); the old model stays on failure. */
    public void openModel(Path file) {
        openModel(file, null);
    }

    /**
     * Opens a model file with the data in {@code dataFolder}; null keeps the current data when it fits the
     * model, else the folder last used with this model, else the bundled data. The old model stays on failure.
     */
    public void openModel(Path file, Path dataFolder) {
        openModel(file, dataFolder, null);
    }

    /** As {@link #openModel(Path, Path)}, giving the model the preprocessing {@code preprocess} (null: its own). */
    public void openModel(Path file, Path dataFolder, String preprocess) {
        Workspace current = workspace.get();
        DataSplits data = current == null ? null : current.data();
        loading.set(true);
        runner.submit("Open " + file.getFileName(), p -> {
            Workspace ws = Workspace.open(file, dataFolder, preprocess, data, settings::dataFolderFor, p);
            return new Opened(ws, ws.stats(ws.emptyPlan()));
        }, opened -> {
            loading.set(false);
            settings.addRecent(file);
            opened.workspace().dataFolder().ifPresent(f -> settings.rememberDataFolder(opened.workspace().sha256(), f));
            install(opened);
        }, t -> {
            loading.set(false);
            errors.report("Open model " + file.getFileName(), t);
        });
    }

    /**
     * Makes an already opened workspace the current one (a model built or fine-tuned in code, and
     * view-model tests); its baseline is measured in the background if it has none. FX thread.
     */
    public void openWorkspace(Workspace ws) {
        install(new Opened(ws, ws.stats(ws.emptyPlan())));
    }

    /**
     * Makes a workspace held in memory the current one and starts its plan at {@code plan} (an edit
     * named {@code description} on top of the empty plan, so it can be undone to empty). Used when the
     * user continues with the physically smaller model or goes back to the model it came from. FX thread.
     */
    public void switchModel(Workspace ws, Plan plan, String description) {
        install(new Opened(ws, ws.stats(ws.emptyPlan())));
        if (plan != null && !plan.equals(editor.plan())) {
            editor.edit(description, plan);
        }
    }

    /** Opens data (an idx folder or an image folder) for the current model, with its current preprocessing. */
    public void openData(Path folder) {
        openData(folder, null);
    }

    /**
     * Opens data for the current model under the preprocessing {@code preprocess} (a preset name or JSON
     * file, remembered with the model; null keeps the model's own). The plan is kept. FX thread.
     */
    public void openData(Path folder, String preprocess) {
        Workspace current = workspace.get();
        if (current == null) {
            errors.report("Open data", new IllegalStateException("open a model first, then its data"));
            return;
        }
        Plan plan = editor.plan();
        loading.set(true);
        runner.submit("Open data " + folder.getFileName(), p -> {
            Workspace ws = preprocess == null ? current.withData(folder, p) : current.withData(folder, preprocess, p);
            return new Opened(ws, ws.stats(ws.emptyPlan()));
        }, opened -> {
            loading.set(false);
            settings.addRecent(folder);
            settings.rememberDataFolder(opened.workspace().sha256(), folder);
            install(opened);
            editor.restore(startPlan(opened.workspace()), plan);
        }, t -> {
            loading.set(false);
            errors.report("Open data " + folder.getFileName(), t);
        });
    }

    private record Opened(Workspace workspace, ModelStats stats) {
    }

    private void install(Opened o) {
        Workspace ws = o.workspace();
        Plan start = startPlan(ws);
        Workspace old = workspace.get();
        if (old != null && old != ws) {
            runner.submit("Release previous model", p -> {
                old.close();
                return old;
            }, x -> { }, t -> errors.report("Release the previous model", t));
        }
        baseStats.set(o.stats());
        workspace.set(ws);
        sensitivity.set(java.util.Map.of());
        planFile.set(null);
        latency.set(null);
        editor.reset(start);
        layers.setModel(ws.tree(), ws.weights());
        PreviewUpdate base = ws.baseline() == null ? null : new PreviewUpdate(start, ws.baseline().top1(),
                ws.baseline().images(), ws.baseline().images(), 0, true, o.stats(), false);
        baseline.set(base);
        preview.reset(ws.data() == null ? null : ws::preview, base);
        if (base == null && ws.data() != null) {
            runner.submit("Baseline accuracy", p -> {
                var e = ws.measureBaseline(p);
                return new PreviewUpdate(start, e.top1(), e.images(), e.images(), 0, true, o.stats(), false);
            }, b -> {
                if (workspace.get() == ws) {
                    baseline.set(b);
                    preview.addBaseline(b, editor.plan());
                }
            }, t -> errors.report("Measure baseline accuracy", t));
        }
        Optional<PlanJournal.Entry> journaled = journal.opened(ws);
        if (restoreLastPlan) {
            restoreLastPlan = false;
            settings.lastPlan().ifPresent(text -> {
                try {
                    editor.restore(start, ws.readPlan(text));
                } catch (Exception e) {
                    // A remembered plan for another model is simply not restored.
                }
            });
        }
        journaled.ifPresent(e -> journal.restore(e, ws, start, editor));
    }

    /** Reads a plan file and makes it the current plan (one undoable edit). */
    public void openPlan(Path file) {
        Workspace ws = workspace.get();
        if (ws == null) {
            errors.report("Open plan", new IllegalStateException("open a model before its plan"));
            return;
        }
        try {
            Plan p = ws.readPlan(Files.readString(file));
            editor.edit("Open plan " + file.getFileName(), p);
            editor.markSaved();
            journal.record(p, false, journal.edits());
            planFile.set(file);
            settings.addRecent(file);
        } catch (Exception e) {
            errors.report("Open plan " + file.getFileName(), e);
        }
    }

    /** Writes the plan file; returns false (after reporting) if it could not be written. */
    public boolean savePlan(Path file) {
        try {
            AtomicFiles.writeString(file, PlanJson.write(editor.plan()));
            editor.markSaved();
            journal.record(editor.plan(), false, journal.edits());
            planFile.set(file);
            settings.addRecent(file);
            return true;
        } catch (IOException e) {
            errors.report("Save plan " + file.getFileName(), e);
            return false;
        }
    }

    /** Remembers the plan and settings for the next run (and finishes the journal's writes). */
    public void rememberSession() throws IOException {
        journal.flush();
        if (editor.plan() != null) {
            settings.saveLastPlan(PlanJson.write(editor.plan()));
        }
        settings.save();
    }

    /** Sets the sparsity every layer without its own setting gets. */
    public void setUniformSparsity(double s, boolean dragging) {
        Plan p = editor.plan();
        if (p == null) {
            return;
        }
        PruneSetting d = p.defaultPrune().withSparsity(Math.max(0, Math.min(0.99, s)));
        Plan next = p.withDefaults(d, p.defaultQuant());
        String what = "Set uniform sparsity";
        if (dragging) {
            editor.drag(what, next);
        } else {
            editor.edit(what + " to " + Formats.percent(d.sparsity(), 1), next);
        }
    }

    /** Ends a drag of the uniform sparsity slider. */
    public void endUniformDrag() {
        editor.endDrag();
    }

    /** Sets the default bit width. */
    public void setDefaultBits(int bits) {
        Plan p = editor.plan();
        if (p != null && p.defaultQuant().bits() != bits) {
            editor.edit("Set default bits to " + bits, p.withDefaults(p.defaultPrune(), p.defaultQuant().withBits(bits)));
        }
    }

    /** Sets the default granularity, keeping the default sparsity. */
    public void setDefaultGranularity(Granularity g) {
        Plan p = editor.plan();
        if (p != null && p.defaultPrune().granularity() != g) {
            editor.edit("Set default granularity to " + g.key(), p.withDefaults(p.defaultPrune().withGranularity(g),
                    p.defaultQuant()));
        }
    }

    /** Makes an explored configuration the current plan again (one undoable edit). FX thread. */
    public void restoreExplored(ExploredPoint point) {
        if (point == null || point.plan().equals(editor.plan())) {
            return;
        }
        editor.edit(String.format(java.util.Locale.ROOT, "Back to an explored plan (%.2f%%, %.2fx smaller)",
                100 * point.top1(), point.compressionRatio()), point.plan());
    }

    /** Removes every per-layer setting and lock (the view asks first). */
    public void resetOverrides() {
        Plan p = editor.plan();
        if (p != null) {
            editor.edit("Reset " + p.layers().size() + " layer overrides", p.withoutOverrides());
        }
    }

    /** Number of layers with their own settings. */
    public int overrideCount() {
        return editor.plan() == null ? 0 : editor.plan().layers().size();
    }

    /** Measures latency of the unchanged and the current model at batch 1 and 64. */
    public void measureLatency() {
        Workspace ws = workspace.get();
        if (ws == null) {
            return;
        }
        Plan plan = editor.plan();
        measuringLatency.set(true);
        runner.submit("Measure latency", p -> ws.latency(plan, 30, 8, p), r -> {
            measuringLatency.set(false);
            latency.set(r);
        }, t -> {
            measuringLatency.set(false);
            errors.report("Measure latency", t);
        });
    }

    /** The engine runner views submit their jobs to. */
    public EngineRunner runner() {
        return runner;
    }

    /** Where views report failures. */
    public ErrorReporter errors() {
        return errors;
    }

    /** Per-layer sensitivity for the tree's column (empty until a sweep has measured layers). */
    public ReadOnlyObjectProperty<java.util.Map<String, LayerSensitivity>> sensitivityProperty() {
        return sensitivity.getReadOnlyProperty();
    }

    /** Sets the per-layer sensitivity the tree shows (the sensitivity view does, as results arrive). */
    public void setSensitivity(java.util.Map<String, LayerSensitivity> bySensitivity) {
        sensitivity.set(java.util.Map.copyOf(bySensitivity));
    }

    public PlanEditor editor() {
        return editor;
    }

    public LayerEditor layers() {
        return layers;
    }

    public PreviewModel preview() {
        return preview;
    }

    public UserSettings settings() {
        return settings;
    }

    /**
     * Things the user should know that are not failures (a plan restored from the journal, a settings
     * file set aside), oldest first; the view shows them in the messages list. Read-only.
     */
    public ObservableList<String> notices() {
        return readOnlyNotices;
    }

    /** Writes the journal's latest plan now and waits for it (on exit). */
    public void flushJournal() {
        journal.flush();
    }

    public ReadOnlyObjectProperty<Workspace> workspaceProperty() {
        return workspace.getReadOnlyProperty();
    }

    public Workspace workspace() {
        return workspace.get();
    }

    /** The measured baseline as a preview result (exact, unchanged model), or null without data. */
    public ReadOnlyObjectProperty<PreviewUpdate> baselineProperty() {
        return baseline.getReadOnlyProperty();
    }

    /** Size and work figures of the unchanged model (known as soon as it is open). */
    public ReadOnlyObjectProperty<ModelStats> baseStatsProperty() {
        return baseStats.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> planFileProperty() {
        return planFile.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty engineStatusProperty() {
        return engineStatus.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Workspace.LatencyReport> latencyProperty() {
        return latency.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty measuringLatencyProperty() {
        return measuringLatency.getReadOnlyProperty();
    }

    /** Whether the remembered plan is restored with the next model opened (only the first, by default). */
    public void setRestoreLastPlan(boolean on) {
        restoreLastPlan = on;
    }

    /** The default quantization in the plan (for the global strip). */
    public QuantSetting defaultQuant() {
        return editor.plan() == null ? QuantSetting.NONE : editor.plan().defaultQuant();
    }
}
