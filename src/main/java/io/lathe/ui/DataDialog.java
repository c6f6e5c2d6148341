package io.lathe.ui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * File → Open data…: the data folder and the preprocessing the model expects, with the model's accuracy
 * on the first few hundred validation images shown as the user chooses. FX thread.
 */
final class DataDialog {
    /** What the user chose. */
    record Choice(Path folder, String preprocess) {
    }

    private static final String FROM_FILE = "From a JSON file…";

    private DataDialog() {
    }

    /** Shows the dialog; empty if cancelled. The model's measurement is cancelled when it closes. */
    static Optional<Choice> show(Window owner, DataChoiceModel model, List<String> presets) {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("Open data — Lathe");
        d.setHeaderText("Data and the preprocessing this model was trained with");
        ButtonType open = new ButtonType("Open", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().addAll(open, ButtonType.CANCEL);

        TextField folder = new TextField(model.folderProperty().get() == null ? "" : model.folderProperty().get().toString());
        folder.setId("data-folder");
        folder.setPrefColumnCount(36);
        folder.setPromptText("idx files, CIFAR-10 batches, or one sub-folder per class");
        folder.textProperty().addListener((o, a, t) -> model.folderProperty().set(t == null || t.isBlank() ? null
                : Path.of(t.trim())));
        Button browse = new Button("Choose…");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Data folder");
            File f = dc.showDialog(d.getDialogPane().getScene().getWindow());
            if (f != null) {
                folder.setText(f.getAbsolutePath());
            }
        });
        HBox folderRow = new HBox(6, folder, browse);
        HBox.setHgrow(folder, Priority.ALWAYS);

        ComboBox<String> preprocess = new ComboBox<>();
        preprocess.setId("data-preprocess");
        preprocess.getItems().addAll(presets);
        preprocess.getItems().add(FROM_FILE);
        String current = model.preprocessProperty().get();
        if (current != null && !presets.contains(current)) {
            preprocess.getItems().add(0, current);
        }
        preprocess.setValue(current);
        preprocess.valueProperty().addListener((o, a, v) -> {
            if (FROM_FILE.equals(v)) {
                FileChooser fc = new FileChooser();
                fc.setTitle("Preprocessing JSON");
                fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
                File f = fc.showOpenDialog(d.getDialogPane().getScene().getWindow());
                if (f == null) {
                    preprocess.setValue(a);
                    return;
                }
                preprocess.getItems().add(0, f.getAbsolutePath());
                preprocess.setValue(f.getAbsolutePath());
                return;
            }
            model.preprocessProperty().set(v);
        });

        Label description = new Label();
        description.setId("data-preprocess-description");
        description.getStyleClass().add("muted");
        description.setWrapText(true);
        description.textProperty().bind(model.descriptionProperty());
        Label accuracy = new Label();
        accuracy.setId("data-accuracy");
        accuracy.setWrapText(true);
        accuracy.textProperty().bind(model.accuracyProperty());
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(16, 16);
        spinner.visibleProperty().bind(model.measuringProperty());
        HBox accuracyRow = new HBox(6, spinner, accuracy);

        Label note = new Label("The preprocessing is stored with the model: previews, sensitivity, fine-tuning and "
                + "every export use it. Pick the one whose accuracy matches what the model's authors report.");
        note.getStyleClass().add("muted");
        note.setWrapText(true);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        Label folderLabel = new Label("Folder");
        Label preprocessLabel = new Label("Preprocessing");
        preprocessLabel.setMinWidth(Region.USE_PREF_SIZE);
        grid.addRow(0, folderLabel, folderRow);
        grid.addRow(1, preprocessLabel, preprocess);
        grid.add(description, 1, 2);
        VBox body = new VBox(10, grid, accuracyRow, note);
        body.setPadding(new Insets(4));
        body.setPrefWidth(620);
        d.getDialogPane().setContent(body);
        d.getDialogPane().lookupButton(open).disableProperty().bind(Bindings.not(model.usableProperty()));
        Optional<ButtonType> answer = d.showAndWait();
        model.cancel();
        if (answer.isPresent() && answer.get() == open && model.folderProperty().get() != null) {
            return Optional.of(new Choice(model.folderProperty().get(), model.preprocessProperty().get()));
        }
        return Optional.empty();
    }
}
