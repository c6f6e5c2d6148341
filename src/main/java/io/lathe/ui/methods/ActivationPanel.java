package io.lathe.ui.methods;

import io.lathe.session.ActivationPruningService;
import io.lathe.ui.Formats;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The activation-pruning panel for the selected layer: which ReLU the threshold goes on, the
 * threshold slider and field, and Measure with the ReLU's measured activation sparsity and the
 * model's accuracy without and with the threshold. Bound to an {@link ActivationModel}.
 */
public final class ActivationPanel extends VBox {
    private final ActivationModel model;
    private final Slider slider = new Slider(0, ActivationModel.START_RANGE, 0);
    private final TextField field = new TextField();
    private final Label target = new Label();
    private final Label sparsity = new Label();
    private final Label accuracy = new Label();
    private final Label sample = new Label();
    private final VBox results;
    private final VBox body = new VBox(6);
    private final Label unavailable = new Label();
    private boolean updating;

    public ActivationPanel(ActivationModel model) {
        this.model = model;
        setSpacing(6);
        getStyleClass().add("method-panel");
        setId("activation-panel");
        unavailable.getStyleClass().add("empty-state");
        unavailable.setWrapText(true);
        unavailable.textProperty().bind(model.unavailableProperty());
        target.getStyleClass().add("muted");
        target.setWrapText(true);

        slider.setId("activation-slider");
        slider.setTooltip(new Tooltip("Threshold: the ReLU's outputs at or below it are set to zero at inference "
                + "(0 = plain ReLU)"));
        field.setId("activation-field");
        field.setPrefColumnCount(7);
        field.setTooltip(new Tooltip("Type a threshold of 0 or more, then Enter"));
        Label tl = new Label("Threshold");
        tl.setMinWidth(Region.USE_PREF_SIZE);
        HBox fieldRow = new HBox(6, tl, field);
        fieldRow.setAlignment(Pos.CENTER_LEFT);
        Label message = new Label();
        message.setId("activation-message");
        message.getStyleClass().add("error-text");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());

        Button measure = new Button("Measure");
        measure.setTooltip(new Tooltip("Measure the ReLU's activation sparsity and the accuracy without and with "
                + "the threshold on validation images (in the background)"));
        measure.setOnAction(e -> model.measure());
        HBox measureRow = PanelParts.measureRow(measure, model::cancel, model.measuringProperty(),
                model.fractionProperty(), model.stageProperty(), "activation");

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(4);
        PanelParts.row(grid, 0, "Zeros", sparsity);
        PanelParts.row(grid, 1, "Accuracy", accuracy);
        sparsity.setId("activation-sparsity");
        accuracy.setId("activation-accuracy");
        sample.getStyleClass().add("muted");
        sample.setWrapText(true);
        sample.setId("activation-sample");
        Label head = new Label("Without → with the threshold");
        head.getStyleClass().add("fact-name");
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        HBox headRow = new HBox(6, head, sp, PanelParts.tag("measured",
                "Run on this machine on validation images"));
        results = new VBox(4, headRow, grid, sample);
        body.getChildren().addAll(target, slider, fieldRow, message, measureRow, results,
                PanelParts.planRow(model::putInPlan, model::removeFromPlan, model.inPlanProperty(), "activation",
                        "Put this threshold into the plan: previewed with pruning and bits, kept when fine-tuning, "
                                + "exported as ONNX ThresholdedRelu"));
        getChildren().addAll(unavailable, body);
        wire();
        show();
    }

    private void wire() {
        slider.valueProperty().addListener((o, a, v) -> {
            if (!updating) {
                model.setThreshold(v.doubleValue());
            }
        });
        field.setOnAction(e -> PanelParts.markInvalid(field, model.enterThreshold(field.getText()) != null));
        model.thresholdProperty().addListener((o, a, b) -> show());
        model.rangeProperty().addListener((o, a, b) -> show());
        model.reluProperty().addListener((o, a, b) -> show());
        model.unavailableProperty().addListener((o, a, b) -> show());
        model.measurementProperty().addListener((o, a, b) -> show());
    }

    private void show() {
        boolean on = model.unavailableProperty().get().isEmpty();
        body.setVisible(on);
        body.setManaged(on);
        unavailable.setVisible(!on);
        unavailable.setManaged(!on);
        String relu = model.reluProperty().get();
        target.setText(relu == null ? "" : "Zeroes the outputs of " + relu + " at or below the threshold. Smaller "
                + "activations do not make the model smaller or faster on dense kernels.");
        double t = model.thresholdProperty().get();
        updating = true;
        slider.setMax(model.rangeProperty().get());
        slider.setValue(t);
        field.setText(Formats.number(t));
        PanelParts.markInvalid(field, false);
        updating = false;
        ActivationPruningService.Measurement m = model.measurementProperty().get();
        results.setVisible(m != null);
        results.setManaged(m != null);
        if (m == null) {
            return;
        }
        sparsity.setText(Formats.percent(m.sparsityBefore(), 1) + " → " + Formats.percent(m.sparsityAfter(), 1)
                + " of " + m.relu() + "'s outputs");
        accuracy.setText(Formats.percent(m.top1Before(), 2) + " → " + Formats.percent(m.top1After(), 2) + " ("
                + Formats.points(m.top1After() - m.top1Before()) + ")");
        sample.setText("Measured at threshold " + Formats.number(m.threshold()) + " on " + Formats.count(m.images())
                + " validation images; 99% of the outputs lie below " + Formats.number(m.rangeMax())
                + " (the slider's range)." + (m.threshold() != t ? " The threshold has changed since: Measure again."
                : ""));
    }
}
