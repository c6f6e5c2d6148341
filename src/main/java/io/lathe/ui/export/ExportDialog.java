package io.lathe.ui.export;

import io.lathe.export.ExportResult;
import io.lathe.ui.Formats;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * File → Export…: artifacts to write (unavailable ones greyed with the reason), output folder, live
 * size estimate, the export with progress and cancel, an overwrite confirmation, and the verification
 * pass/fail table. A separate window, so the workbench stays usable while it runs.
 */
public final class ExportDialog {
    private final ExportModel model;
    private final Stage stage = new Stage();
    private final VBox artifacts = new VBox(4);
    private final Label estimate = new Label();
    private final Label message = new Label();
    private final TableView<ExportResult.Check> checks = new TableView<>();
    private final Label sizes = new Label();

    public ExportDialog(ExportModel model, Window owner) {
        this.model = model;
        stage.initOwner(owner);
        stage.setTitle("Export — Lathe");
        Label intro = new Label("Writes the chosen artifacts, then reloads each one independently, re-runs its "
                + "evaluation on the test split and shows a pass/fail table. Nothing is left behind if it fails.");
        intro.setWrapText(true);
        TextField folder = new TextField();
        folder.setId("export-folder");
        folder.setPromptText("Output folder");
        HBox.setHgrow(folder, Priority.ALWAYS);
        folder.textProperty().addListener((o, a, t) -> model.folderProperty().set(t == null || t.isBlank() ? null
                : Path.of(t.trim())));
        if (model.folderProperty().get() != null) {
            folder.setText(model.folderProperty().get().toString());
        }
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Export folder");
            var f = dc.showDialog(stage);
            if (f != null) {
                folder.setText(f.getAbsolutePath());
            }
        });
        HBox folderRow = new HBox(6, new Label("Folder"), folder, choose);
        folderRow.setAlignment(Pos.CENTER_LEFT);
        estimate.getStyleClass().add("muted");
        estimate.setId("export-estimate");
        Button export = new Button("Export");
        export.getStyleClass().add("primary");
        export.setId("export-run");
        export.setOnAction(e -> start());
        export.disableProperty().bind(model.runningProperty());
        Button cancel = new Button("Cancel export");
        cancel.setOnAction(e -> model.cancel());
        cancel.disableProperty().bind(model.runningProperty().not());
        Button close = new Button("Close");
        close.setOnAction(e -> stage.close());
        ProgressBar bar = new ProgressBar(0);
        bar.setPrefWidth(200);
        Label progress = new Label();
        progress.getStyleClass().add("muted");
        model.fractionProperty().addListener((o, a, f) -> bar.setProgress(f.doubleValue()));
        model.messageProperty().addListener((o, a, m) -> {
            if (model.runningProperty().get() && !m.isEmpty()) {
                progress.setText(m + model.etaText());
            }
        });
        model.statusProperty().addListener((o, a, s) -> progress.setText(s));
        model.runningProperty().addListener((o, a, on) -> {
            if (!on) {
                progress.setText(model.statusProperty().get());
                bar.setProgress(model.resultProperty().get() == null ? 0 : 1);
            }
        });
        message.setWrapText(true);
        message.setId("export-message");
        message.setStyle("-fx-text-fill: #b03030;");
        HBox buttons = new HBox(8, export, cancel, bar, progress);
        buttons.setAlignment(Pos.CENTER_LEFT);
        table();
        sizes.setWrapText(true);
        sizes.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        intro.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        estimate.setWrapText(true);
        estimate.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        sizes.setId("export-sizes");
        Label checksTitle = new Label("Verification");
        checksTitle.getStyleClass().add("pane-title");
        VBox root = new VBox(10, intro, artifacts, folderRow, estimate, buttons, message, checksTitle, checks, sizes,
                new HBox(close));
        VBox.setVgrow(checks, Priority.ALWAYS);
        root.setPadding(new Insets(14));
        root.getStyleClass().add("export-dialog");
        model.onnxProperty().addListener((o, a, b) -> refresh());
        model.int8Property().addListener((o, a, b) -> refresh());
        model.workbench().editor().planProperty().addListener((o, a, b) -> {
            if (stage.isShowing()) {
                refresh();
            }
        });
        model.resultProperty().addListener((o, a, r) -> showResult(r));
        refresh();
        Scene scene = new Scene(root, 760, 640);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().addAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
    }

    /** Shows the dialog (brings it to the front when already open). */
    public void show() {
        if (!stage.isShowing()) {
            refresh();
        }
        stage.show();
        stage.toFront();
    }

    private void refresh() {
        artifacts.getChildren().clear();
        Label title = new Label("Artifacts");
        title.getStyleClass().add("pane-title");
        artifacts.getChildren().add(title);
        for (ExportModel.Artifact a : model.artifacts()) {
            CheckBox c = new CheckBox(a.label());
            c.setId("export-artifact-" + a.kind().name().toLowerCase(Locale.ROOT));
            switch (a.kind()) {
                case ONNX_FP32 -> c.setSelected(model.onnxProperty().get());
                case ONNX_INT8 -> c.setSelected(model.onnxProperty().get() && model.int8Property().get());
                default -> c.setSelected(a.available());
            }
            c.setDisable(!a.available() || !a.optional());
            c.setOnAction(e -> {
                if (a.kind() == ExportModel.Kind.ONNX_FP32) {
                    model.onnxProperty().set(c.isSelected());
                } else if (a.kind() == ExportModel.Kind.ONNX_INT8) {
                    model.int8Property().set(c.isSelected());
                }
            });
            Label why = new Label(a.reason());
            why.getStyleClass().add("muted");
            why.setStyle("-fx-font-size: 10.5px;");
            HBox row = new HBox(8, c, why);
            row.setAlignment(Pos.CENTER_LEFT);
            Tooltip.install(row, new Tooltip(a.reason()));
            artifacts.getChildren().add(row);
        }
        String why = model.unavailableReason();
        long est = model.estimatedBytes();
        estimate.setText(why != null ? "Nothing can be exported yet: " + why + "." : "Estimated total "
                + Formats.bytes(est) + " on disk; the packed file about " + Formats.bytes(model.estimatedPackedBytes())
                + " (estimates from the plan's size model; the table below reports the measured sizes).");
    }

    private void start() {
        message.setText("");
        String m = model.export(false);
        if (m != null && m.startsWith("Would overwrite")) {
            List<String> files = model.existingFiles();
            ButtonType ok = new ButtonType("Overwrite", ButtonBar.ButtonData.OK_DONE);
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, String.join("\n", files), ok, ButtonType.CANCEL);
            a.initOwner(stage);
            a.setTitle("Lathe");
            a.setHeaderText("Replace " + files.size() + " existing file" + (files.size() == 1 ? "" : "s") + " in "
                    + model.folderProperty().get() + "?");
            if (a.showAndWait().filter(ok::equals).isPresent()) {
                m = model.export(true);
            } else {
                m = "Not exported: choose another folder, or confirm overwriting.";
            }
        }
        message.setText(m == null ? "" : m);
    }

    private void table() {
        checks.setId("export-checks");
        checks.setPlaceholder(new Label("The pass/fail table appears here after the export: each artifact reloaded "
                + "and re-evaluated."));
        TableColumn<ExportResult.Check, String> art = column("Artifact", 170, ExportResult.Check::artifact);
        TableColumn<ExportResult.Check, String> what = column("Check", 220, ExportResult.Check::check);
        TableColumn<ExportResult.Check, String> pass = column("Result", 60, c -> c.passed() ? "PASS" : "FAIL");
        pass.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setStyle(empty ? "" : "PASS".equals(item) ? "-fx-text-fill: #2E9E6B; -fx-font-weight: bold;"
                        : "-fx-text-fill: #D64545; -fx-font-weight: bold;");
            }
        });
        TableColumn<ExportResult.Check, String> detail = column("Detail", 260, ExportResult.Check::detail);
        checks.getColumns().addAll(List.of(art, what, pass, detail));
        checks.setPrefHeight(220);
    }

    private static TableColumn<ExportResult.Check, String> column(String title, double width,
                                                                  java.util.function.Function<ExportResult.Check, String> f) {
        TableColumn<ExportResult.Check, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        return c;
    }

    private void showResult(ExportResult r) {
        checks.getItems().setAll(r == null ? List.of() : r.checks());
        if (r == null) {
            sizes.setText("");
            return;
        }
        var s = r.sizes();
        sizes.setText(String.format(Locale.ROOT, "%s. Measured: test top-1 %.2f%% before, %.2f%% after (%d images); "
                        + "packed %s = %.1fx smaller than fp32 parameters (%s); DL4J zip %s; gzip of the parameters %s. "
                        + "Files in %s.", r.passed() ? "All checks passed" : "Some checks FAILED",
                100 * r.top1Before(), 100 * r.top1After(), r.testImages(), Formats.bytes(s.packedBytes()),
                s.ratio(s.packedBytes()), Formats.bytes(s.fp32Bytes()), Formats.bytes(s.zipBytes()),
                Formats.bytes(s.gzipBytes()), r.folder()));
    }
}
