package io.lathe.ui;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Map;

/** The toolbar: model name and origin, the stage stepper, file and edit commands, the running-job badge, help. */
final class WorkbenchToolbar extends HBox {
    WorkbenchToolbar(WorkbenchModel model, FileActions files, JobsModel jobs, TabPane tabs, Map<String, Tab> stepTabs,
                     Runnable help, Runnable export) {
        getStyleClass().add("toolbar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(8);
        Label brand = new Label("Lathe");
        brand.getStyleClass().add("brand");
        Label modelName = new Label();
        modelName.getStyleClass().add("model-name");
        modelName.setId("model-name");
        Label origin = new Label();
        origin.getStyleClass().add("model-origin");
        model.workspaceProperty().addListener((o, a, ws) -> {
            modelName.setText(ws == null ? "" : ws.modelName());
            origin.setText(ws == null ? "" : ws.format() + " · " + ws.origin());
            origin.setTooltip(new Tooltip(ws == null ? "" : "Opened from " + ws.origin() + "\nSHA-256 " + ws.sha256()
                    + (ws.notes().isEmpty() ? "" : "\n" + String.join("\n", ws.notes()))));
        });
        modelName.setText("opening…");
        VBox modelBox = new VBox(0, modelName, origin);
        modelBox.setMaxWidth(300);

        HBox stepper = new HBox(0);
        stepper.getStyleClass().add("stepper");
        List<String> steps = List.of("Analyze", "Compress", "Fine-tune", "Export");
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            Button b = new Button((i + 1) + "  " + step);
            b.getStyleClass().add("step");
            b.setTooltip(new Tooltip(switch (step) {
                case "Analyze" -> "Analyze: measure how sensitive each layer is to pruning";
                case "Compress" -> "Compress: set thresholds and bits per layer and watch accuracy";
                case "Fine-tune" -> "Fine-tune: retrain the compressed model with its masks kept";
                default -> "Export: write the plan, compressed models (DL4J, packed, ONNX) and report, verified";
            }));
            Tab tab = stepTabs.get(step);
            if (tab != null) {
                b.setOnAction(e -> tabs.getSelectionModel().select(tab));
                tabs.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> mark(b, stepOf(t, stepTabs).equals(step)));
                mark(b, stepOf(tabs.getSelectionModel().getSelectedItem(), stepTabs).equals(step));
            } else {
                b.setOnAction(e -> export.run());
            }
            stepper.getChildren().add(b);
        }

        Button open = button("Open", Icons.open(), "Open a model (DL4J zip or Keras .h5); drop files on the window too",
                files::openModel);
        open.setId("open-model");
        Button data = button("Data", Icons.data(), "Open data: an idx folder or a folder with one sub-folder per class",
                files::openData);
        Button save = button("Save plan", Icons.save(), "Save the plan file (Ctrl+S)", files::savePlan);
        save.disableProperty().bind(model.workspaceProperty().isNull());
        Button undo = button(null, Icons.undo(), "Undo", () -> model.editor().undo());
        undo.disableProperty().bind(model.editor().canUndoProperty().not());
        undo.tooltipProperty().bind(model.editor().undoTextProperty().map(t -> new Tooltip(t.isEmpty() ? "Nothing to undo"
                : "Undo: " + t + " (Ctrl+Z)")));
        undo.setId("undo");
        Button redo = button(null, Icons.redo(), "Redo", () -> model.editor().redo());
        redo.disableProperty().bind(model.editor().canRedoProperty().not());
        redo.tooltipProperty().bind(model.editor().redoTextProperty().map(t -> new Tooltip(t.isEmpty() ? "Nothing to redo"
                : "Redo: " + t + " (Ctrl+Y)")));
        redo.setId("redo");
        Button exportButton = button("Export", null, "Export the compressed model: plan, DL4J zip, packed .lathe, "
                + "ONNX fp32/INT8 and report, each verified (Ctrl+E)", export);
        exportButton.getStyleClass().remove("tool-button");
        exportButton.getStyleClass().add("primary");
        exportButton.setId("export-button");
        exportButton.disableProperty().bind(model.workspaceProperty().isNull());
        ProgressIndicator badge = new ProgressIndicator();
        badge.setPrefSize(18, 18);
        badge.setMaxSize(18, 18);
        badge.visibleProperty().bind(jobs.busyBinding());
        badge.setTooltip(new Tooltip("A background job is running (see Jobs below)"));
        Button helpButton = button("Help", Icons.help(), "What the terms mean, and about Lathe (F1)", help);
        Region sp1 = new Region();
        Region sp2 = new Region();
        HBox.setHgrow(sp1, Priority.ALWAYS);
        HBox.setHgrow(sp2, Priority.ALWAYS);
        getChildren().addAll(brand, modelBox, sp1, stepper, sp2, badge, open, data, save, undo, redo, exportButton, helpButton);
    }

    private static String stepOf(Tab t, Map<String, Tab> stepTabs) {
        if (t == null) {
            return "";
        }
        for (var e : stepTabs.entrySet()) {
            if (e.getValue() == t) {
                return e.getKey();
            }
        }
        return "Compress";
    }

    private static void mark(Button b, boolean on) {
        b.getStyleClass().remove("current");
        if (on) {
            b.getStyleClass().add("current");
        }
    }

    private static Button button(String text, javafx.scene.Node icon, String tip, Runnable action) {
        Button b = new Button(text, icon);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.getStyleClass().add("tool-button");
        return b;
    }
}
