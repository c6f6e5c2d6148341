package io.lathe.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

/** The workbench's dialogs: failures with expandable details, confirmations, unsaved changes. FX thread. */
final class Dialogs {
    static final ButtonType SAVE = new ButtonType("Save", ButtonBar.ButtonData.YES);
    static final ButtonType DISCARD = new ButtonType("Don't save", ButtonBar.ButtonData.NO);

    private Dialogs() {
    }

    /** The plain-words reason of a failure: the deepest message that says something. */
    static String reason(Throwable t) {
        Throwable c = t;
        String msg = null;
        while (c != null) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                msg = c.getMessage();
                if (c instanceof java.io.IOException || c instanceof IllegalArgumentException
                        || c instanceof IllegalStateException || c.getClass().getName().startsWith("io.lathe")) {
                    break;
                }
            }
            c = c.getCause();
        }
        return msg == null ? t.getClass().getSimpleName() + " (no message)" : msg;
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** Shows a failure: what failed, why, and the technical details folded away. */
    static void showError(Window owner, String action, Throwable t) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(owner);
        a.setTitle("Lathe");
        a.setHeaderText(action + " failed");
        Label reason = new Label(reason(t));
        reason.setWrapText(true);
        reason.setId("error-reason");
        Label keep = new Label("Nothing else changed: the model and plan you had open are still loaded.");
        keep.getStyleClass().add("muted");
        keep.setWrapText(true);
        VBox body = new VBox(8, reason, keep);
        body.setPrefWidth(520);
        a.getDialogPane().setContent(body);
        TextArea details = new TextArea(stackTrace(t));
        details.setEditable(false);
        details.setPrefRowCount(14);
        VBox.setVgrow(details, Priority.ALWAYS);
        a.getDialogPane().setExpandableContent(new VBox(details));
        a.getDialogPane().getStyleClass().add("lathe-dialog");
        a.show();
    }

    /** Asks a yes/no question; true for OK. */
    static boolean confirm(Window owner, String header, String text, String okText) {
        ButtonType ok = new ButtonType(okText, ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text, ok, ButtonType.CANCEL);
        a.initOwner(owner);
        a.setTitle("Lathe");
        a.setHeaderText(header);
        return a.showAndWait().filter(ok::equals).isPresent();
    }

    /** Asks what to do with unsaved plan changes: Save, Don't save, or Cancel. */
    static Optional<ButtonType> unsavedChanges(Window owner) {
        Alert a = new Alert(Alert.AlertType.WARNING, "The plan has changes that are not saved to a plan file.",
                SAVE, DISCARD, ButtonType.CANCEL);
        a.initOwner(owner);
        a.setTitle("Lathe");
        a.setHeaderText("Save the plan before closing?");
        return a.showAndWait();
    }
}
