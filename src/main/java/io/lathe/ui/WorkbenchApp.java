package io.lathe.ui;

import io.lathe.data.AppHome;
import io.lathe.job.EngineRunner;
import io.lathe.job.JobHandle;
import io.lathe.session.LaunchRequest;
import io.lathe.session.UserSettings;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The workbench application: wires the engine runner (callbacks on the FX thread), the view models and
 * the window; restores and remembers the window layout; installs the one uncaught-exception handler.
 * Opens the model given as a parameter, else the bundled ResNet-20 on Fashion-MNIST.
 */
public final class WorkbenchApp extends Application {
    /** The sample model opened when no model is given. */
    public static final String SAMPLE_MODEL = "resnet20-fashion.zip";
    private EngineRunner runner;
    private ExecutorService journalWriter;
    private WorkbenchModel model;
    private WorkbenchView view;
    private JobsModel jobs;
    private Stage stage;

    @Override
    public void start(Stage primary) {
        start(primary, null, (a, t) -> { }, job -> { });
    }

    /**
     * Builds and shows the window on {@code primary} and opens {@code request} (null: what the command
     * line asked for). {@code alsoReport} is told of every failure the window reports and
     * {@code alsoProgress} of every job change, both on the FX thread (the soak benchmark counts them).
     */
    void start(Stage primary, LaunchRequest request, ErrorReporter alsoReport, JobHandle.ProgressListener alsoProgress) {
        stage = primary;
        jobs = new JobsModel();
        runner = new EngineRunner(Platform::runLater, job -> {
            jobs.changed(job);
            alsoProgress.changed(job);
        });
        UserSettings settings = UserSettings.load(UserSettings.defaultFolder());
        ErrorReporter[] reporter = new ErrorReporter[1];
        journalWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lathe-journal");
            t.setDaemon(true);
            return t;
        });
        model = wire(runner, Platform::runLater, new FxDelay(), (a, t) -> reporter[0].report(a, t), settings,
                journalWriter);
        view = new WorkbenchView(model, jobs);
        reporter[0] = (action, t) -> {
            alsoReport.report(action, t);
            view.report(action, t);
        };
        Thread.setDefaultUncaughtExceptionHandler((thread, t) -> {
            t.printStackTrace();
            Platform.runLater(() -> reporter[0].report("An unexpected step", t));
        });
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(view, Math.min(screen.getWidth(), settings.getDouble("window.width", 1440)),
                Math.min(screen.getHeight(), settings.getDouble("window.height", 900)));
        scene.getStylesheets().add(WorkbenchApp.class.getResource("workbench.css").toExternalForm());
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.createStringBinding(this::title, model.workspaceProperty(),
                model.planFiles().planFileProperty(), model.editor().dirtyProperty()));
        restoreLayout(settings);
        stage.setOnCloseRequest(e -> {
            if (!view.files().confirmClose()) {
                e.consume();
                return;
            }
            rememberLayout(settings);
        });
        stage.show();
        model.probeEngine();
        LaunchRequest open = request != null ? request : launchRequest();
        model.workspaces().openModel(open.model() == null ? AppHome.sampleModel(SAMPLE_MODEL) : open.model(), open.data(),
                open.preprocess());
    }

    /**
     * Builds the window's session from its parts: the plan editor and the selected layer's editor on it,
     * the live preview, the plan's files and journal, and the open workspace (the window uses it, and so
     * do view-model tests, with direct executors).
     *
     * @param runner        the engine runner (its callbacks must run on the FX thread)
     * @param fx            hands engine-side updates to the FX thread ({@code Platform::runLater})
     * @param delay         the debounce clock for previews and the journal
     * @param errors        where failures are shown
     * @param settings      remembered files, the last plan; the journal lives in its folder
     * @param journalWriter runs the journal's file writes in order
     */
    public static WorkbenchModel wire(EngineRunner runner, Executor fx, Delay delay, ErrorReporter errors,
                                      UserSettings settings, Executor journalWriter) {
        PlanEditor editor = new PlanEditor();
        LayerEditor layers = new LayerEditor(editor);
        PreviewModel preview = new PreviewModel(runner, fx, delay, t -> errors.report("Preview", t));
        PlanFiles planFiles = new PlanFiles(editor, settings, errors, delay, journalWriter, fx);
        WorkspaceModel workspaces = new WorkspaceModel(runner, errors, settings, editor, layers, preview, planFiles);
        return new WorkbenchModel(runner, fx, errors, settings, editor, layers, preview, workspaces, planFiles);
    }

    /** The window title: model, plan file, and a bullet while the plan has unsaved changes. */
    private String title() {
        var ws = model.workspace();
        Path plan = model.planFiles().planFileProperty().get();
        String t = "Lathe" + (ws == null ? "" : " — " + ws.modelName())
                + (plan == null ? "" : " — " + plan.getFileName());
        return (model.editor().dirtyProperty().get() ? "• " : "") + t;
    }

    /** What the command line asked to open ({@code lathe MODEL [--data DIR] [--preprocess P]}); the sample if nothing. */
    private LaunchRequest launchRequest() {
        try {
            return LaunchRequest.parse(getParameters().getRaw().toArray(String[]::new)).orElse(LaunchRequest.sample());
        } catch (IllegalArgumentException e) {
            view.report("Open from the command line", e);
            return LaunchRequest.sample();
        }
    }

    private void restoreLayout(UserSettings s) {
        s.get("window.x").ifPresent(v -> stage.setX(Double.parseDouble(v)));
        s.get("window.y").ifPresent(v -> stage.setY(Double.parseDouble(v)));
        stage.setMaximized(s.getBoolean("window.maximized", false));
        view.columns().setDividerPositions(s.getDouble("split.left", 0.33), s.getDouble("split.right", 0.745));
        view.rows().setDividerPositions(s.getDouble("split.bottom", 0.87));
        view.tabs().getSelectionModel().select((int) s.getDouble("tab", 0));
    }

    private void rememberLayout(UserSettings s) {
        s.putDouble("window.x", stage.getX());
        s.putDouble("window.y", stage.getY());
        s.putDouble("window.width", stage.getScene().getWidth());
        s.putDouble("window.height", stage.getScene().getHeight());
        s.putBoolean("window.maximized", stage.isMaximized());
        double[] cols = view.columns().getDividerPositions();
        s.putDouble("split.left", cols[0]);
        s.putDouble("split.right", cols[1]);
        s.putDouble("split.bottom", view.rows().getDividerPositions()[0]);
        s.putDouble("tab", view.tabs().getSelectionModel().getSelectedIndex());
        try {
            model.planFiles().rememberSession();
        } catch (IOException e) {
            System.err.println("lathe: could not remember the session in " + s.folder() + ": " + e.getMessage());
        }
    }

    @Override
    public void stop() {
        if (model != null) {
            model.planFiles().flushJournal();
            journalWriter.shutdown();
        }
        if (runner != null) {
            runner.close();
        }
    }

    WorkbenchModel model() {
        return model;
    }

    WorkbenchView view() {
        return view;
    }

    JobsModel jobs() {
        return jobs;
    }
}
