package io.lathe.ui.methods;

import io.lathe.session.LowRankService;
import io.lathe.structure.LowRank;
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
 * The low-rank factorization panel for the selected layer: how it is factorized, the energy curve
 * with the chosen rank, a rank slider with typeable rank and energy fields, the weight count at that
 * rank (computed), and Measure with the measured accuracy, size and latency against the unchanged
 * model. Bound to a {@link LowRankModel}.
 */
public final class LowRankPanel extends VBox {
    private final LowRankModel model;
    private final EnergyChart chart = new EnergyChart();
    private final Slider slider = new Slider(1, 2, 1);
    private final TextField rankField = new TextField();
    private final TextField energyField = new TextField();
    private final Label readout = new Label();
    private final Label message = new Label();
    private final Label expected = new Label();
    private final Label accuracy = new Label();
    private final Label size = new Label();
    private final Label batch1 = new Label();
    private final Label batch64 = new Label();
    private final Label sample = new Label();
    private final VBox results;
    private final VBox body = new VBox(6);
    private final Label unavailable = new Label();
    private boolean updating;

    public LowRankPanel(LowRankModel model) {
        this.model = model;
        setSpacing(6);
        getStyleClass().add("method-panel");
        setId("low-rank-panel");
        Label mode = new Label();
        mode.getStyleClass().add("muted");
        mode.setWrapText(true);
        mode.textProperty().bind(model.modeTextProperty());
        unavailable.getStyleClass().add("empty-state");
        unavailable.setWrapText(true);
        unavailable.textProperty().bind(model.unavailableProperty());

        slider.setId("rank-slider");
        slider.setBlockIncrement(1);
        slider.setMajorTickUnit(1);
        slider.setMinorTickCount(0);
        slider.setSnapToTicks(true);
        slider.setTooltip(new Tooltip("Rank: how many singular values the factorized layer keeps"));
        rankField.setId("rank-field");
        rankField.setPrefColumnCount(4);
        rankField.setTooltip(new Tooltip("Type a rank (1 to the full rank), then Enter"));
        energyField.setId("energy-field");
        energyField.setPrefColumnCount(5);
        energyField.setTooltip(new Tooltip("Type the share of singular-value energy to keep (e.g. 90%), then Enter: "
                + "the smallest rank that keeps it"));
        Label rl = new Label("Rank");
        Label el = new Label("Energy");
        HBox fields = new HBox(6, rl, rankField, el, energyField);
        fields.setAlignment(Pos.CENTER_LEFT);
        readout.setId("rank-readout");
        readout.setWrapText(true);
        HBox readoutRow = new HBox(6, readout, PanelParts.tag("computed",
                "From the singular values and the factor shapes, without running the network"));
        HBox.setHgrow(readout, Priority.ALWAYS);
        readoutRow.setAlignment(Pos.CENTER_LEFT);
        message.setId("low-rank-message");
        message.getStyleClass().add("error-text");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());

        Button measure = new Button("Measure");
        measure.setTooltip(new Tooltip("Factorize this layer at the rank and measure accuracy on validation images, "
                + "parameters and latency at batch 1 and 64 against the unchanged model (in the background)"));
        measure.setOnAction(e -> model.measure());
        HBox measureRow = PanelParts.measureRow(measure, model::cancel, model.measuringProperty(),
                model.fractionProperty(), model.stageProperty(), "low-rank");
        expected.getStyleClass().add("muted");
        expected.setWrapText(true);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(4);
        PanelParts.row(grid, 0, "Accuracy", accuracy);
        PanelParts.row(grid, 1, "Size", size);
        PanelParts.row(grid, 2, "Batch 1", batch1);
        PanelParts.row(grid, 3, "Batch 64", batch64);
        accuracy.setId("low-rank-accuracy");
        size.setId("low-rank-size");
        batch1.setId("low-rank-batch1");
        batch64.setId("low-rank-batch64");
        sample.getStyleClass().add("muted");
        sample.setWrapText(true);
        sample.setId("low-rank-sample");
        Label measuredHead = new Label("Unchanged → factorized");
        measuredHead.getStyleClass().add("fact-name");
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        HBox head = new HBox(6, measuredHead, sp, PanelParts.tag("measured",
                "Run on this machine: accuracy on validation images, latency as the median of timed calls"));
        results = new VBox(4, head, grid, sample);
        body.getChildren().addAll(mode, chart.node(), slider, fields, readoutRow, message, measureRow, expected,
                results,
                PanelParts.planRow(model::putInPlan, model::removeFromPlan, model.inPlanProperty(), "lowrank",
                        "Put this rank into the plan: previewed with pruning and bits, fine-tuned as two smaller "
                                + "layers, exported as them"));
        getChildren().addAll(unavailable, body);
        wire();
        show();
    }

    private void wire() {
        slider.valueProperty().addListener((o, a, v) -> {
            if (!updating) {
                model.setRank((int) Math.round(v.doubleValue()));
            }
        });
        rankField.setOnAction(e -> PanelParts.markInvalid(rankField, model.enterRank(rankField.getText()) != null));
        energyField.setOnAction(e -> PanelParts.markInvalid(energyField,
                model.enterEnergy(energyField.getText()) != null));
        model.spectrumProperty().addListener((o, a, s) -> {
            chart.setSpectrum(s);
            show();
        });
        model.rankProperty().addListener((o, a, r) -> show());
        model.measurementProperty().addListener((o, a, m) -> show());
        model.unavailableProperty().addListener((o, a, u) -> show());
        model.measuringProperty().addListener((o, a, m) -> show());
    }

    private void show() {
        boolean on = model.unavailableProperty().get().isEmpty();
        body.setVisible(on);
        body.setManaged(on);
        unavailable.setVisible(!on);
        unavailable.setManaged(!on);
        LowRank.Spectrum s = model.spectrumProperty().get();
        int r = model.rankProperty().get();
        updating = true;
        slider.setDisable(s == null);
        if (s != null && r >= 1) {
            slider.setMax(Math.max(2, s.fullRank()));
            slider.setValue(r);
            chart.setRank(r, s.energy()[r - 1]);
            rankField.setText(Integer.toString(r));
            energyField.setText(Formats.percent(s.energy()[r - 1], 1));
            PanelParts.markInvalid(rankField, false);
            PanelParts.markInvalid(energyField, false);
        }
        updating = false;
        readout.setText(s == null ? "computing the singular values…" : model.rankText());
        expected.setText(model.measuringProperty().get() ? "" : model.expectedText());
        showMeasurement(model.measurementProperty().get(), r);
    }

    private void showMeasurement(LowRankService.Measurement m, int rank) {
        results.setVisible(m != null);
        results.setManaged(m != null);
        if (m == null) {
            return;
        }
        double delta = m.factorizedTop1() - m.originalTop1();
        accuracy.setText(Formats.percent(m.originalTop1(), 2) + " → " + Formats.percent(m.factorizedTop1(), 2) + " ("
                + Formats.points(delta) + ")");
        size.setText(Formats.count(m.originalParams()) + " → " + Formats.count(m.factorizedParams()) + " params ("
                + Formats.bytes(m.originalBytes()) + " → " + Formats.bytes(m.factorizedBytes()) + " fp32)");
        batch1.setText(ms(m.batch1Ms()[0]) + " → " + ms(m.batch1Ms()[1]) + speed(m.batch1Ms()));
        batch64.setText(ms(m.batch64Ms()[0]) + " → " + ms(m.batch64Ms()[1]) + speed(m.batch64Ms()));
        sample.setText("Measured at rank " + m.rank() + " (" + Formats.percent(m.energy(), 1) + " energy) on "
                + Formats.count(m.images()) + " validation images; latency: median of timed calls, both models "
                + "alternately." + (m.rank() != rank ? " The rank has changed since: Measure again." : ""));
    }

    private static String ms(double v) {
        return String.format(java.util.Locale.ROOT, v < 10 ? "%.2f ms" : "%.1f ms", v);
    }

    private static String speed(double[] pair) {
        double x = pair[0] / pair[1];
        return String.format(java.util.Locale.ROOT, " (%.2f× %s)", x >= 1 ? x : 1 / x, x >= 1 ? "faster" : "slower");
    }
}
