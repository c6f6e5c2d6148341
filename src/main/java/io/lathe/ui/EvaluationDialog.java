package io.lathe.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCombination;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.function.Supplier;

/** Shows a finished plan evaluation: the measured figures and the command line that gives the same result. */
final class EvaluationDialog {
    private EvaluationDialog() {
    }

    /**
     * Run → Evaluate plan on the test split: evaluates the current plan, then shows this dialog with the
     * result; disabled without a model or while an evaluation runs.
     */
    static MenuItem menuItem(WorkbenchModel model, EvaluationModel evaluation, Supplier<Window> owner) {
        MenuItem item = new MenuItem("Evaluate plan on the test split");
        item.setAccelerator(KeyCombination.keyCombination("Shortcut+T"));
        item.setId("menu-evaluate-test");
        item.setOnAction(e -> evaluation.evaluate(model.workspaceProperty().get(), model.editor().plan(), "test"));
        item.disableProperty().bind(model.workspaceProperty().isNull().or(evaluation.runningProperty()));
        evaluation.outcomeProperty().addListener((o, was, now) -> {
            if (now != null) {
                show(owner.get(), now, model.planFiles().planFileProperty().get());
            }
        });
        return item;
    }

    static void show(Window owner, EvaluationModel.Outcome o, Path planFile) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle("Lathe");
        a.setHeaderText("Plan evaluated on the " + o.result().split() + " split");
        Label figures = new Label(EvaluationModel.describe(o.result()));
        figures.setId("evaluation-figures");
        figures.setWrapText(true);
        Label same = new Label(planFile == null
                ? "The same request from the command line (save the plan first, then put its file for PLAN.json):"
                : "The same request from the command line (with the plan as saved; unsaved edits are not in the file):");
        same.getStyleClass().add("muted");
        same.setWrapText(true);
        TextField command = new TextField(EvaluationModel.commandLine(o.request(), planFile));
        command.setEditable(false);
        command.setId("evaluation-command");
        VBox body = new VBox(8, figures, same, command);
        body.setPrefWidth(640);
        a.getDialogPane().setContent(body);
        a.getDialogPane().getStyleClass().add("lathe-dialog");
        a.show();
    }
}
