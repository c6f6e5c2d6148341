package io.lathe.ui;

import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The file commands behind menus, toolbar and drag-and-drop: choosers, routing by file kind, unsaved changes. */
final class FileActions {
    private final WorkbenchModel model;
    private final Supplier<Window> owner;

    FileActions(WorkbenchModel model, Supplier<Window> owner) {
        this.model = model;
        this.owner = owner;
    }

    void openModel() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open model");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Models (DL4J zip, ONNX, Keras .h5 or architecture .json)", "*.zip", "*.onnx",
                        "*.h5", "*.hdf5", "*.keras", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        initialFolder(fc::setInitialDirectory);
        File f = fc.showOpenDialog(owner.get());
        if (f != null) {
            model.workspaces().openModel(f.toPath());
        }
    }

    /** File → Open data…: the data dialog (folder and preprocessing, checked on the model as the user chooses). */
    void openData() {
        var ws = model.workspace();
        if (ws == null) {
            model.workspaces().openData(null);
            return;
        }
        DataChoiceModel choice = new DataChoiceModel(model.runner(), Platform::runLater, new FxDelay(), ws.dataProbe(),
                ws.dataFolder().orElse(null), ws.preprocessingSpec());
        DataDialog.show(owner.get(), choice, ws.dataProbe().presets())
                .ifPresent(c -> model.workspaces().openData(c.folder(), c.preprocess()));
    }

    void openPlan() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open plan");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Lathe plans", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        initialFolder(fc::setInitialDirectory);
        File f = fc.showOpenDialog(owner.get());
        if (f != null) {
            model.planFiles().openPlan(model.workspace(), f.toPath());
        }
    }

    /** Saves to the current plan file, or asks where; false if cancelled or failed. */
    boolean savePlan() {
        Path current = model.planFiles().planFileProperty().get();
        return current != null ? model.planFiles().savePlan(current) : savePlanAs();
    }

    boolean savePlanAs() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save plan");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Lathe plans", "*.json"));
        String base = model.workspace() == null ? "plan" : model.workspace().modelName() + "-plan";
        fc.setInitialFileName(base + ".json");
        initialFolder(fc::setInitialDirectory);
        File f = fc.showSaveDialog(owner.get());
        return f != null && model.planFiles().savePlan(f.toPath());
    }

    /**
     * Opens whatever was dropped or picked from the recent list: a model (zip, ONNX, Keras .h5 or
     * architecture JSON, a SavedModel folder so that its message is shown), a plan, or a data folder.
     */
    void open(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(p)) {
            if (Files.exists(p.resolve("saved_model.pb"))) {
                model.workspaces().openModel(p);
            } else {
                model.workspaces().openData(p);
            }
        } else if (n.endsWith(".json") && isPlan(p)) {
            model.planFiles().openPlan(model.workspace(), p);
        } else {
            model.workspaces().openModel(p);
        }
    }

    /** True if a JSON file is a Lathe plan (its first few KB name the format), not a Keras architecture. */
    static boolean isPlan(Path json) {
        try (var in = Files.newInputStream(json)) {
            String head = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
            return head.contains("\"lathe-plan\"") || !head.contains("\"class_name\"");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** True if the window may close: no unsaved plan changes, or the user saved or discarded them. */
    boolean confirmClose() {
        if (!model.editor().dirtyProperty().get()) {
            return true;
        }
        Optional<ButtonType> answer = Dialogs.unsavedChanges(owner.get());
        if (answer.isEmpty() || answer.get() == ButtonType.CANCEL) {
            return false;
        }
        return answer.get() != Dialogs.SAVE || savePlan();
    }

    private void initialFolder(java.util.function.Consumer<File> set) {
        Path origin = model.workspace() == null ? null : Path.of(model.workspace().origin()).toAbsolutePath().getParent();
        if (origin != null && Files.isDirectory(origin)) {
            set.accept(origin.toFile());
        }
    }
}
