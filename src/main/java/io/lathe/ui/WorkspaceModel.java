package io.lathe.ui;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.data.DataSplits;
import io.lathe.eval.PreviewUpdate;
import io.lathe.job.EngineRunner;
import io.lathe.session.UserSettings;
import io.lathe.session.Workspace;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.nio.file.Path;

/**
 * The open workspace: the model and its data, opened in the background (the old one stays on failure
 * and is released once replaced), the size figures of the unchanged model and its measured baseline
 * accuracy. Opening a model starts the editor, the layer editor and the preview on it and tells the plan
 * files. FX thread; engine work goes to the {@link EngineRunner}, whose callbacks run on the FX thread.
 */
public final class WorkspaceModel {
    /** System property: training images new plans calibrate BatchNorm on (0 = off). */
    public static final String BN_IMAGES_PROPERTY = "lathe.bnCalibrationImages";

    private final EngineRunner runner;
    private final ErrorReporter errors;
    private final UserSettings settings;
    private final PlanEditor editor;
    private final LayerEditor layers;
    private final PreviewModel preview;
    private final PlanFiles planFiles;
    private final ReadOnlyObjectWrapper<Workspace> workspace = new ReadOnlyObjectWrapper<>(this, "workspace");
    private final ReadOnlyObjectWrapper<PreviewUpdate> baseline = new ReadOnlyObjectWrapper<>(this, "baseline");
    private final ReadOnlyObjectWrapper<ModelStats> baseStats = new ReadOnlyObjectWrapper<>(this, "baseStats");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");

    /**
     * @param runner    the engine runner (its callbacks must run on the FX thread)
     * @param errors    where failures to open are shown
     * @param settings  the data folder last used with each model
     * @param editor    started at the new model's start plan
     * @param layers    shown the new model's layer tree
     * @param preview   switched to the new model's preview and baseline
     * @param planFiles told of each model opened (journal, remembered plan) and of the files opened
     */
    public WorkspaceModel(EngineRunner runner, ErrorReporter errors, UserSettings settings, PlanEditor editor,
                          LayerEditor layers, PreviewModel preview, PlanFiles planFiles) {
        this.runner = runner;
        this.errors = errors;
        this.settings = settings;
        this.editor = editor;
        this.layers = layers;
        this.preview = preview;
        this.planFiles = planFiles;
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

    /** Opens a model file with the current data (the bundled data if none); the old model stays on failure. */
    public void openModel(Path file) {
        openModel(file, null, null);
    }

    /**
     * Opens a model file with the data in {@code dataFolder} under the preprocessing {@code preprocess}.
     * A null folder keeps the current data when it fits the model, else takes the folder last used with
     * this model, else the bundled data; a null preprocessing is the model's own. The old model stays on
     * failure.
     */
    public void openModel(Path file, Path dataFolder, String preprocess) {
        Workspace current = workspace.get();
        DataSplits data = current == null ? null : current.data();
        loading.set(true);
        runner.submit("Open " + file.getFileName(), p -> {
            Workspace ws = Workspace.open(file, dataFolder, preprocess, data, settings::dataFolderFor, p);
            return new Opened(ws, ws.stats(ws.emptyPlan()));
        }, opened -> {
            loading.set(false);
            planFiles.addRecent(file);
            opened.workspace().dataFolder().ifPresent(f -> settings.rememberDataFolder(opened.workspace().sha256(), f));
            install(opened);
        }, t -> {
            loading.set(false);
            errors.report("Open model " + file.getFileName(), t);
        });
    }

    /**
     * Makes an already opened workspace the current one (a model built or fine-tuned in code, and
     * view-model tests); its baseline is measured in the background if it has none.
     */
    public void openWorkspace(Workspace ws) {
        install(new Opened(ws, ws.stats(ws.emptyPlan())));
    }

    /**
     * Makes a workspace held in memory the current one and starts its plan at {@code plan} (an edit
     * named {@code description} on top of the empty plan, so it can be undone to empty). Used when the
     * user continues with the physically smaller model or goes back to the model it came from.
     */
    public void switchModel(Workspace ws, Plan plan, String description) {
        openWorkspace(ws);
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
     * file, remembered with the model; null keeps the model's own). The plan is kept.
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
            planFiles.addRecent(folder);
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
        planFiles.opened(ws, start);
    }

    public ReadOnlyObjectProperty<Workspace> workspaceProperty() {
        return workspace.getReadOnlyProperty();
    }

    /** The open workspace, or null before the first model is open. */
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

    /** True while a model or data is being opened. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }
}
