package io.lathe.ui.methods;

import javafx.scene.layout.VBox;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** Small building blocks the method panels share: kind tags, the Measure/Cancel row, result grids. */
final class PanelParts {
    private PanelParts() {
    }

    /** A coloured tag saying what kind a figure is ("measured", "computed"). */
    static Label tag(String kind, String tip) {
        Label l = new Label(kind);
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.getStyleClass().addAll("tag", "tag-" + kind);
        l.setTooltip(new Tooltip(tip));
        return l;
    }

    /** Marks a text field invalid (red border) or valid. */
    static void markInvalid(TextField field, boolean invalid) {
        field.getStyleClass().remove("invalid");
        if (invalid) {
            field.getStyleClass().add("invalid");
        }
    }

    /** The Measure button, a Cancel button and a progress bar with the job's stage, bound to a job's state. */
    static HBox measureRow(Button measure, Runnable cancel, ReadOnlyBooleanProperty running,
                           ReadOnlyDoubleProperty fraction, ReadOnlyStringProperty stage, String idPrefix) {
        measure.setId(idPrefix + "-measure");
        measure.setMinWidth(Region.USE_PREF_SIZE);
        measure.disableProperty().bind(running);
        Button stop = new Button("Cancel");
        stop.setId(idPrefix + "-cancel");
        stop.getStyleClass().add("small-button");
        stop.setMinWidth(Region.USE_PREF_SIZE);
        stop.setTooltip(new Tooltip("Stop the measurement"));
        stop.setOnAction(e -> cancel.run());
        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(fraction);
        bar.setPrefWidth(70);
        Label what = new Label();
        what.getStyleClass().add("muted");
        what.textProperty().bind(stage);
        what.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(what, Priority.ALWAYS);
        for (var n : new javafx.scene.Node[]{stop, bar, what}) {
            n.visibleProperty().bind(running);
            n.managedProperty().bind(running);
        }
        HBox row = new HBox(6, measure, stop, bar, what);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** A grid row: name, value (wraps), nothing else. */
    static void row(GridPane grid, int r, String name, Label value) {
        Label n = new Label(name);
        n.getStyleClass().add("fact-name");
        n.setMinWidth(Region.USE_PREF_SIZE);
        value.setWrapText(true);
        grid.add(n, 0, r);
        grid.add(value, 1, r);
        GridPane.setHgrow(value, Priority.ALWAYS);
    }

    /**
     * The row that puts a card's setting into the plan: a sentence saying what the plan holds now, and
     * "Put in plan" / "Remove from plan" buttons.
     */
    static VBox planRow(Runnable put, Runnable remove, ReadOnlyStringProperty inPlan, String idPrefix, String putTip) {
        Label state = new Label();
        state.textProperty().bind(inPlan);
        state.setWrapText(true);
        state.getStyleClass().add("muted");
        state.setId(idPrefix + "-in-plan");
        Button putButton = new Button("Put in plan");
        putButton.setId(idPrefix + "-put-in-plan");
        putButton.setTooltip(new Tooltip(putTip));
        putButton.setOnAction(e -> put.run());
        Button removeButton = new Button("Remove from plan");
        removeButton.setId(idPrefix + "-remove-from-plan");
        removeButton.setOnAction(e -> remove.run());
        return new VBox(4, new HBox(6, putButton, removeButton), state);
    }
}
