package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.eval.PreviewUpdate;
import io.lathe.job.EngineRunner;
import io.lathe.session.UserSettings;
import io.lathe.session.Workspace;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The workbench's session: the open workspace ({@link WorkspaceModel}), the plan being edited and its
 * files ({@link PlanEditor}, {@link PlanFiles}), the selected layer, the live preview, and the commands
 * that change the whole plan (uniform sparsity, default bits and granularity, BatchNorm calibration,
 * reset) besides latency, the engine status and the sensitivity marks. The application builds the parts
 * and hands them in; every plan change goes to the preview and the journal. Engine work is submitted to
 * the {@link EngineRunner}; results arrive on the FX thread. FX thread.
 */
public final class WorkbenchModel {
    private final EngineRunner runner;
    private final ErrorReporter errors;
    private final UserSettings settings;
    private final PlanEditor editor;
    private final LayerEditor layers;
    private final PreviewModel preview;
    private final WorkspaceModel workspaces;
    private final PlanFiles planFiles;
    private final LatestJob<Workspace.LatencyReport> latencyJob;
    private final ReadOnlyStringWrapper engineStatus = new ReadOnlyStringWrapper(this, "engineStatus", "engine starting…");
    private final ReadOnlyObjectWrapper<Workspace.LatencyReport> latency = new ReadOnlyObjectWrapper<>(this, "latency");
    private final ReadOnlyObjectWrapper<Map<String, LayerSensitivity>> sensitivity =
            new ReadOnlyObjectWrapper<>(this, "sensitivity", Map.of());

    /**
     * @param runner     the engine runner (its callbacks must run on the FX thread)
     * @param fx         hands engine-side updates to the FX thread
     * @param errors     where failures are shown
     * @param settings   the user's settings (remembered files, Spark master, …)
     * @param editor     the plan being edited
     * @param layers     the selected layer's editor, on {@code editor}
     * @param preview    previews every plan change
     * @param workspaces the open model and data
     * @param planFiles  plan file, recent files and journal; told of every plan change
     */
    public WorkbenchModel(EngineRunner runner, Executor fx, ErrorReporter errors, UserSettings settings,
                          PlanEditor editor, LayerEditor layers, PreviewModel preview, WorkspaceModel workspaces,
                          PlanFiles planFiles) {
        this.runner = runner;
        this.errors = errors;
        this.settings = settings;
        this.editor = editor;
        this.layers = layers;
        this.preview = preview;
        this.workspaces = workspaces;
        this.planFiles = planFiles;
        this.latencyJob = new LatestJob<>(runner, fx, errors);
        editor.setOnChange((plan, immediate) -> {
            preview.request(plan, immediate);
            planFiles.changed(plan, immediate);
        });
        workspaces.workspaceProperty().addListener((o, a, ws) -> {
            sensitivity.set(Map.of());
            latencyJob.drop();
            latency.set(null);
        });
    }

    /** Switches the plan's BatchNorm calibration on or off (an undoable edit). */
    public void setBatchNormCalibration(boolean on) {
        Workspace ws = workspace();
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

    /** Makes an explored configuration the current plan again (one undoable edit). */
    public void restoreExplored(ExploredPoint point) {
        if (point == null || point.plan().equals(editor.plan())) {
            return;
        }
        editor.edit(String.format(Locale.ROOT, "Back to an explored plan (%.2f%%, %.2fx smaller)",
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

    /** The default quantization in the plan (for the global strip). */
    public QuantSetting defaultQuant() {
        return editor.plan() == null ? QuantSetting.NONE : editor.plan().defaultQuant();
    }

    /** Measures latency of the unchanged and the current model at batch 1 and 64. */
    public void measureLatency() {
        Workspace ws = workspace();
        if (ws == null) {
            return;
        }
        Plan plan = editor.plan();
        latencyJob.start("Measure latency", p -> ws.latency(plan, 30, 8, p), latency::set);
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
    public ReadOnlyObjectProperty<Map<String, LayerSensitivity>> sensitivityProperty() {
        return sensitivity.getReadOnlyProperty();
    }

    /** Sets the per-layer sensitivity the tree shows (the sensitivity view does, as results arrive). */
    public void setSensitivity(Map<String, LayerSensitivity> bySensitivity) {
        sensitivity.set(Map.copyOf(bySensitivity));
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

    /** The open model and data: opening, switching, the baseline. */
    public WorkspaceModel workspaces() {
        return workspaces;
    }

    /** The plan's files: open, save, recent files, the journal and its notices. */
    public PlanFiles planFiles() {
        return planFiles;
    }

    /** Shortcuts for what nearly every view model reads: see {@link WorkspaceModel#workspaceProperty()}. */
    public ReadOnlyObjectProperty<Workspace> workspaceProperty() {
        return workspaces.workspaceProperty();
    }

    /** See {@link WorkspaceModel#workspace()}. */
    public Workspace workspace() {
        return workspaces.workspace();
    }

    /** See {@link WorkspaceModel#baselineProperty()}. */
    public ReadOnlyObjectProperty<PreviewUpdate> baselineProperty() {
        return workspaces.baselineProperty();
    }

    public ReadOnlyStringProperty engineStatusProperty() {
        return engineStatus.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Workspace.LatencyReport> latencyProperty() {
        return latency.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty measuringLatencyProperty() {
        return latencyJob.runningProperty();
    }
}
