package io.lathe.ui;

import io.lathe.data.DataSplits;
import io.lathe.session.Workspace;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.StatusBar;

import java.io.File;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main window's content: menus and toolbar, the layer tree (left), global strip and chart tabs
 * (centre), summary card and layer panel (right), jobs and messages (bottom), status bar, the
 * first-run hint, and drag-and-drop. Lays out and binds only; behaviour lives in the view models.
 */
final class WorkbenchView extends BorderPane {
    private final WorkbenchModel model;
    private final ObservableList<JobsPane.Message> messages = FXCollections.observableArrayList();
    private final FileActions files;
    private final SplitPane columns;
    private final SplitPane rows;
    private final LayerTreePane tree;
    private final TabPane tabs = new TabPane();
    private final Menu recent = new Menu("Recent");
    private final io.lathe.ui.sensitivity.SensitivityModel sensitivityModel;
    private final io.lathe.ui.finetune.FineTuneModel fineTuneModel;
    private final io.lathe.ui.export.ExportModel exportModel;
    private final io.lathe.ui.structure.StructureModel structureModel;
    private final io.lathe.ui.structure.GranularityModel granularityModel;
    private io.lathe.ui.export.ExportDialog exportDialog;
    private final io.lathe.ui.methods.LowRankModel lowRankModel;
    private final io.lathe.ui.methods.ActivationModel activationModel;
    private final EvaluationModel evaluation;
    /** Validation images the low-rank and activation panels measure on. */
    private static final int MEASURE_IMAGES = 1000;
    /** Timed batch-64 calls per network when the low-rank panel measures latency. */
    private static final int LOW_RANK_REPEATS = 8;

    WorkbenchView(WorkbenchModel model, JobsModel jobs) {
        this.model = model;
        getStyleClass().add("workbench");
        this.files = new FileActions(model, this::window);
        this.evaluation = new EvaluationModel(model.runner(), model.errors());
        tree = new LayerTreePane(model);

        Map<String, Tab> stepTabs = new LinkedHashMap<>();
        Tab layersTab = tab("Layers", new LayersChart(model).node(), "Per-layer sparsity, coloured by bit width");
        ExploredChart exploredChart = new ExploredChart(model);
        Tab explored = tab("Explored", exploredChart.node(),
                "Accuracy against compression ratio of every configuration previewed, with the Pareto front; "
                        + "click a point to go back to its plan");
        exploredChart.setShown(explored.isSelected());
        explored.selectedProperty().addListener((o, was, now) -> exploredChart.setShown(now));
        Tab latency = tab("Latency", new LatencyPane(model), "Measured latency at batch 1 and 64");
        sensitivityModel = new io.lathe.ui.sensitivity.SensitivityModel(model,
                new io.lathe.session.SensitivityService(model.settings().folder().resolve("sensitivity")),
                javafx.application.Platform::runLater);
        var sensitivityView = new io.lathe.ui.sensitivity.SensitivityView(sensitivityModel);
        Tab sensitivity = tab("Sensitivity", sensitivityView,
                "Per-layer accuracy against sparsity and bits, the heatmap of accuracy drop, and the allocation");
        sensitivityView.setShown(sensitivity.isSelected());
        sensitivity.selectedProperty().addListener((o, was, now) -> sensitivityView.setShown(now));
        fineTuneModel = new io.lathe.ui.finetune.FineTuneModel(model, javafx.application.Platform::runLater,
                model.settings().folder().resolve("finetuned"));
        var fineTuneView = new io.lathe.ui.finetune.FineTuneView(fineTuneModel);
        Tab finetune = tab("Fine-tune", fineTuneView, "Retrain with masks kept (schedule, live loss and accuracy curves)");
        fineTuneView.setShown(false);
        finetune.selectedProperty().addListener((o, was, now) -> fineTuneView.setShown(now));
        exportModel = new io.lathe.ui.export.ExportModel(model, javafx.application.Platform::runLater);
        structureModel = new io.lathe.ui.structure.StructureModel(model, javafx.application.Platform::runLater);
        Tab structure = tab("Structure", new io.lathe.ui.structure.StructureView(structureModel),
                "Remove the plan's channels physically: measured accuracy, latency (batch 1 and 64) and per-layer "
                        + "time before and after, and continue with the smaller model");
        granularityModel = new io.lathe.ui.structure.GranularityModel(model, javafx.application.Platform::runLater);
        Tab granularity = tab("Granularity", new io.lathe.ui.structure.GranularityView(granularityModel),
                "Accuracy against sparsity for element, block and channel pruning, with measured latency per point");
        tabs.getTabs().addAll(layersTab, explored, latency, sensitivity, finetune, structure, granularity);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("chart-tabs");
        stepTabs.put("Analyze", sensitivity);
        stepTabs.put("Compress", layersTab);
        stepTabs.put("Fine-tune", finetune);

        GlobalStrip strip = new GlobalStrip(model, this::confirmResetOverrides);
        VBox centre = new VBox(strip, tabs);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        centre.getStyleClass().add("centre");
        centre.setMinWidth(420);
        tree.setMinWidth(260);

        lowRankModel = new io.lathe.ui.methods.LowRankModel(model, new io.lathe.session.LowRankService(
                LOW_RANK_REPEATS), javafx.application.Platform::runLater, MEASURE_IMAGES);
        activationModel = new io.lathe.ui.methods.ActivationModel(model,
                new io.lathe.session.ActivationPruningService(), javafx.application.Platform::runLater, MEASURE_IMAGES);
        lowRankModel.setActive(false);
        var lowRankPane = methodPane("Low-rank factorization", new io.lathe.ui.methods.LowRankPanel(lowRankModel),
                "low-rank", "Truncated SVD of the selected layer: energy curve, rank, and measured accuracy, size "
                        + "and latency of the factorized model");
        lowRankPane.expandedProperty().addListener((o, a, open) -> lowRankModel.setActive(open));
        var activationPane = methodPane("Activation pruning",
                new io.lathe.ui.methods.ActivationPanel(activationModel), "activation", "A threshold on the ReLU "
                        + "after the selected layer, with its measured activation sparsity and accuracy");
        VBox right = new VBox(10, new SummaryCard(model), new LayerPanel(model.layers()), lowRankPane,
                activationPane);
        right.getStyleClass().add("right-column");
        ScrollPane rightScroll = new ScrollPane(right);
        rightScroll.setFitToWidth(true);
        rightScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        rightScroll.getStyleClass().add("right-scroll");
        rightScroll.setMinWidth(300);

        columns = new SplitPane(tree, centre, rightScroll);
        columns.setDividerPositions(0.35, 0.75);
        SplitPane.setResizableWithParent(tree, false);
        SplitPane.setResizableWithParent(rightScroll, false);
        JobsPane dock = new JobsPane(jobs, messages, this::window);
        rows = new SplitPane(columns, dock);
        rows.setOrientation(Orientation.VERTICAL);
        rows.setDividerPositions(0.87);
        SplitPane.setResizableWithParent(dock, false);

        VBox top = new VBox(menus(), new WorkbenchToolbar(model, files, jobs, tabs, stepTabs, this::help, this::export));
        if (!model.settings().getBoolean("hint.dismissed", false)) {
            top.getChildren().add(hint(top));
        }
        setTop(top);
        setCenter(rows);
        setBottom(statusBar());
        model.planFiles().notices().forEach(this::notice);
        model.planFiles().notices().addListener((javafx.collections.ListChangeListener<String>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(this::notice);
            }
        });
        dragAndDrop();
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.F1) {
                help();
            }
        });
    }

    FileActions files() {
        return files;
    }

    LayerTreePane tree() {
        return tree;
    }

    /** Shows a failure: a dialog now, and a line in the messages list. */
    void report(String action, Throwable t) {
        messages.add(0, new JobsPane.Message(LocalTime.now(), action, Dialogs.reason(t), t));
        Dialogs.showError(window(), action, t);
    }

    /** Shows a notice (nothing failed) as a line in the messages list. */
    private void notice(String text) {
        messages.add(0, JobsPane.Message.notice(LocalTime.now(), text));
    }

    SplitPane columns() {
        return columns;
    }

    SplitPane rows() {
        return rows;
    }

    TabPane tabs() {
        return tabs;
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    /** A collapsible card for one method panel of the selected layer (collapsed until opened). */
    private static javafx.scene.control.TitledPane methodPane(String title, javafx.scene.Node content, String id,
                                                              String tip) {
        javafx.scene.control.TitledPane p = new javafx.scene.control.TitledPane(title, content);
        p.setExpanded(false);
        p.setAnimated(false);
        p.setId(id + "-pane");
        p.setTooltip(new Tooltip(tip));
        p.getStyleClass().add("method-pane");
        return p;
    }

    io.lathe.ui.methods.LowRankModel lowRankModel() {
        return lowRankModel;
    }

    EvaluationModel evaluationModel() {
        return evaluation;
    }

    io.lathe.ui.methods.ActivationModel activationModel() {
        return activationModel;
    }

    private static Tab tab(String title, javafx.scene.Node content, String tip) {
        Tab t = new Tab(title, content);
        t.setTooltip(new Tooltip(tip));
        t.setId("tab-" + title.toLowerCase(java.util.Locale.ROOT));
        return t;
    }

    private MenuBar menus() {
        MenuItem openModel = item("Open model…", "Shortcut+O", files::openModel);
        MenuItem openData = item("Open data…", "Shortcut+D", files::openData);
        MenuItem openPlan = item("Open plan…", "Shortcut+Shift+O", files::openPlan);
        MenuItem save = item("Save plan", "Shortcut+S", files::savePlan);
        MenuItem saveAs = item("Save plan as…", "Shortcut+Shift+S", files::savePlanAs);
        MenuItem export = item("Export…", "Shortcut+E", this::export);
        export.disableProperty().bind(model.workspaceProperty().isNull());
        MenuItem quit = item("Quit", "Shortcut+Q", () -> window().fireEvent(new javafx.stage.WindowEvent(window(),
                javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
        recent.setOnShowing(e -> fillRecent());
        fillRecent();
        Menu file = new Menu("File", null, openModel, openData, openPlan, recent, new SeparatorMenuItem(), save, saveAs,
                new SeparatorMenuItem(), export, new SeparatorMenuItem(), quit);
        MenuItem undo = item("Undo", "Shortcut+Z", () -> model.editor().undo());
        undo.disableProperty().bind(model.editor().canUndoProperty().not());
        MenuItem redo = item("Redo", "Shortcut+Y", () -> model.editor().redo());
        redo.disableProperty().bind(model.editor().canRedoProperty().not());
        MenuItem resetOverrides = item("Reset overrides…", null, this::confirmResetOverrides);
        Menu edit = new Menu("Edit", null, undo, redo, new SeparatorMenuItem(), resetOverrides);
        MenuItem latency = item("Measure latency", null, model::measureLatency);
        Menu run = new Menu("Run", null, latency, EvaluationDialog.menuItem(model, evaluation, this::window));
        Menu help = new Menu("Help", null, item("Terms and about Lathe", "F1", this::help));
        MenuBar bar = new MenuBar(file, edit, run, help);
        bar.setId("menu-bar");
        return bar;
    }

    private void fillRecent() {
        recent.getItems().clear();
        for (Path p : model.planFiles().recentFiles()) {
            recent.getItems().add(item(p.getFileName() + "  —  " + p.getParent(), null, () -> files.open(p)));
        }
        if (recent.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none yet)");
            none.setDisable(true);
            recent.getItems().add(none);
        }
    }

    private static MenuItem item(String text, String keys, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (keys != null) {
            m.setAccelerator(KeyCombination.keyCombination(keys));
        }
        m.setOnAction(e -> action.run());
        return m;
    }

    /** Opens the Export dialog (File → Export…, toolbar Export). */
    void export() {
        if (exportDialog == null) {
            exportDialog = new io.lathe.ui.export.ExportDialog(exportModel, window());
        }
        exportDialog.show();
    }

    io.lathe.ui.sensitivity.SensitivityModel sensitivityModel() {
        return sensitivityModel;
    }

    io.lathe.ui.finetune.FineTuneModel fineTuneModel() {
        return fineTuneModel;
    }

    io.lathe.ui.structure.StructureModel structureModel() {
        return structureModel;
    }

    io.lathe.ui.structure.GranularityModel granularityModel() {
        return granularityModel;
    }

    io.lathe.ui.export.ExportModel exportModel() {
        return exportModel;
    }

    private void help() {
        HelpDialog.show(window());
    }

    private void confirmResetOverrides() {
        int n = model.overrideCount();
        if (n > 0 && Dialogs.confirm(window(), "Reset " + n + " layer override" + (n == 1 ? "" : "s") + "?",
                "Every layer you set by hand (and every lock) goes back to the global settings. You can undo this.",
                "Reset")) {
            model.resetOverrides();
        }
    }

    private Region hint(VBox parent) {
        Label text = new Label("What to try: select a layer and drag its threshold slider to see accuracy and size "
                + "change; run the Sensitivity analysis to see which layers can take it, then let Allocate pick "
                + "per-layer settings for a goal; fine-tune to win accuracy back (Fine-tune tab); remove whole "
                + "channels for real speed (Structure tab); Export writes verified files (plan, DL4J, packed, "
                + "ONNX, report).");
        text.setWrapText(true);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button dismiss = new Button("Don't show again");
        dismiss.setTooltip(new Tooltip("Hide this hint for good"));
        Button close = new Button("×");
        close.setTooltip(new Tooltip("Hide this hint for now"));
        HBox box = new HBox(10, text, dismiss, close);
        box.getStyleClass().add("hint");
        box.setId("first-run-hint");
        dismiss.setOnAction(e -> {
            model.settings().putBoolean("hint.dismissed", true);
            parent.getChildren().remove(box);
        });
        close.setOnAction(e -> parent.getChildren().remove(box));
        return box;
    }

    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("status-bar");
        bar.textProperty().bind(model.engineStatusProperty().map(s -> "Engine: " + s));
        Label data = new Label();
        data.setTooltip(new Tooltip("The data previews are measured on"));
        Label plan = new Label();
        plan.setTooltip(new Tooltip("The plan file; every edit is also journaled in your config folder, so a crash loses nothing"));
        model.workspaceProperty().addListener((o, a, ws) -> data.setText(dataText(ws)));
        model.planFiles().planFileProperty().addListener((o, a, f) -> plan.setText(planText(f)));
        model.editor().dirtyProperty().addListener((o, a, d) -> plan.setText(planText(model.planFiles().planFileProperty().get())));
        plan.setText(planText(null));
        bar.getRightItems().addAll(data, new Label("  ·  "), plan);
        return bar;
    }

    private String planText(Path f) {
        String name = f == null ? "plan not saved to a file" : "plan " + f.getFileName();
        return name + (model.editor().dirtyProperty().get() ? " (changed)" : "");
    }

    private static String dataText(Workspace ws) {
        if (ws == null) {
            return "";
        }
        DataSplits d = ws.data();
        if (d == null) {
            return "no data: " + ws.dataProblem();
        }
        return "validation split: " + Formats.count(d.validation().size()) + " images · "
                + Path.of(d.source()).getFileName();
    }

    private void dragAndDrop() {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            boolean ok = false;
            if (e.getDragboard().hasFiles()) {
                for (File f : e.getDragboard().getFiles()) {
                    files.open(f.toPath());
                    ok = true;
                }
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }
}
