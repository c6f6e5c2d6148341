package io.lathe.ui;

import javafx.scene.control.ButtonType;
import javafx.stage.DirectoryChooser;
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
                new FileChooser.ExtensionFilter("Models (DL4J zip, Keras .h5 or architecture .json)",
                        "*.zip", "*.h5", "*.hdf5", "*.keras", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        initialFolder(fc::setInitialDirectory);
        File f = fc.showOpenDialog(owner.get());
        if (f != null) {
            model.openModel(f.toPath());
        }
    }

    void openData() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open data: a folder with the four idx files, or one sub-folder per class");
        initialFolder(dc::setInitialDirectory);
        File f = dc.showDialog(owner.get());
        if (f != null) {
            model.openData(f.toPath());
        }
    }

    void openPlan() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open plan");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Lathe plans", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        initialFolder(fc::setInitialDirectory);
        File f = fc.showOpenDialog(owner.get());
        if (f != null) {
            model.openPlan(f.toPath());
        }
    }

    /** Saves to the current plan file, or asks where; false if cancelled or failed. */
    boolean savePlan() {
        Path current = model.planFileProperty().get();
        return current != null ? model.savePlan(current) : savePlanAs();
    }

    boolean savePlanAs() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save plan");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Lathe plans", "*.json"));
        String base = model.workspace() == null ? "plan" : model.workspace().modelName() + "-plan";
        fc.setInitialFileName(base + ".json");
        initialFolder(fc::setInitialDirectory);
        File f = fc.showSaveDialog(owner.get());
        return f != null && model.savePlan(f.toPath());
    }

    /** Opens whatever was dropped or picked from the recent list: model, plan, or data folder. */
    void open(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(p)) {
            model.openData(p);
        } else if (n.endsWith(".json")) {
            model.openPlan(p);
        } else {
            model.openModel(p);
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
