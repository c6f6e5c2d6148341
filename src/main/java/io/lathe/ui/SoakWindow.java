package io.lathe.ui;

import io.lathe.job.JobHandle;
import io.lathe.model.TreeNode;
import io.lathe.session.LaunchRequest;
import io.lathe.ui.export.ExportModel;
import io.lathe.ui.sensitivity.SensitivityModel;
import javafx.scene.Scene;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;

import java.nio.file.Path;

/**
 * The real workbench window opened in-process for the soak benchmark, with the handles a scripted
 * session drives: the same view models and nodes the TestFX flows use. Create and use on the FX thread.
 */
public final class SoakWindow {
    private final WorkbenchApp app;
    private final Stage stage;

    private SoakWindow(WorkbenchApp app, Stage stage) {
        this.app = app;
        this.stage = stage;
    }

    /**
     * Builds the window on a new stage and starts opening {@code model} with its data folder and
     * preprocessing (both may be null: the model's own). FX thread.
     *
     * @param failures told of every failure the window reports (its error dialog, its uncaught-exception handler)
     * @param jobs     told of every change of every job the window runs
     */
    public static SoakWindow open(Path model, Path data, String preprocess, ErrorReporter failures,
                                  JobHandle.ProgressListener jobs) {
        Stage stage = new Stage();
        WorkbenchApp app = new WorkbenchApp();
        app.start(stage, new LaunchRequest(model, data, preprocess), failures, jobs);
        return new SoakWindow(app, stage);
    }

    public WorkbenchModel model() {
        return app.model();
    }

    /** The jobs area's rows (each cancellable as its Cancel button does). */
    public JobsModel jobs() {
        return app.jobs();
    }

    public SensitivityModel sensitivity() {
        return app.view().sensitivityModel();
    }

    public ExportModel export() {
        return app.view().exportModel();
    }

    /** The layer tree-table ({@code #layer-tree}). */
    public TreeTableView<TreeNode> tree() {
        return app.view().tree().table();
    }

    public Scene scene() {
        return stage.getScene();
    }

    /** Opens a file as a drop on the window or the Recent menu does (model, plan or data folder). */
    public void open(Path file) {
        app.view().files().open(file);
    }

    /** Opens the Export dialog as File → Export… does. */
    public void showExportDialog() {
        app.view().export();
    }

    /** Closes the window without the unsaved-changes question, then stops the app as the toolkit would. */
    public void close() {
        stage.close();
        app.stop();
    }
}
