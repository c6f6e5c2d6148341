package io.lathe.ui;

import io.lathe.eval.LatencyMeter;
import io.lathe.session.Workspace;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.Locale;

/**
 * Measured latency of the unchanged and the current model at batch 1 and 64, from one run on this
 * machine, with what it means for sparse weights.
 */
final class LatencyPane extends VBox {
    private final GridPane table = new GridPane();
    private final Label state = new Label("Not measured yet. Measuring takes a few seconds per model; the rest of "
            + "the app stays usable.");

    LatencyPane(WorkbenchModel model) {
        getStyleClass().add("tab-body");
        setSpacing(12);
        Button measure = new Button("Measure latency");
        measure.getStyleClass().add("primary");
        measure.setId("measure-latency");
        measure.setTooltip(new Tooltip("Time the unchanged and the current model at batch 1 and 64 on this machine "
                + "(median of repeated calls after warm-up)"));
        measure.setOnAction(e -> model.measureLatency());
        measure.disableProperty().bind(model.workspaceProperty().isNull().or(model.measuringLatencyProperty()));
        state.setWrapText(true);
        state.getStyleClass().add("muted");
        HBox head = new HBox(12, measure, state);
        head.setAlignment(Pos.CENTER_LEFT);
        table.setHgap(24);
        table.setVgap(8);
        table.getStyleClass().add("latency-table");
        Label note = new Label("Zeroed weights do not make dense kernels faster: element and block pruning and "
                + "quantization make the model smaller (size-only), so expect about equal times. Whole-channel pruning "
                + "is measured on the physically smaller network (channels removed), which can be faster. The "
                + "Structure tab shows the per-layer times and lets you continue with the smaller network.");
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        getChildren().addAll(head, table, note);
        model.latencyProperty().addListener((o, a, r) -> show(r));
        model.measuringLatencyProperty().addListener((o, a, on) -> {
            if (on) {
                state.setText("Measuring… (see Jobs below for progress; Cancel stops it)");
            }
        });
        model.editor().planProperty().addListener((o, a, p) -> {
            if (model.latencyProperty().get() != null && !model.latencyProperty().get().plan().equals(p)) {
                state.setText("Measured for an earlier plan; measure again for the current one.");
            }
        });
    }

    private void show(Workspace.LatencyReport r) {
        table.getChildren().clear();
        if (r == null) {
            return;
        }
        state.setText("Measured on this machine (median per call; 10th–90th percentile in brackets).");
        String[] head = {"", "batch 1", "batch 64", "images/s at 64"};
        for (int c = 0; c < head.length; c++) {
            Label h = new Label(head[c]);
            h.getStyleClass().add("fact-name");
            table.add(h, c, 0);
        }
        row(1, "Unchanged model", r.denseBatch1(), r.denseBatch64());
        row(2, r.channelsRemoved() ? "Current plan (channels removed)" : "Current plan", r.planBatch1(),
                r.planBatch64());
    }

    private void row(int r, String name, LatencyMeter.Latency b1, LatencyMeter.Latency b64) {
        table.add(new Label(name), 0, r);
        table.add(new Label(ms(b1)), 1, r);
        table.add(new Label(ms(b64)), 2, r);
        table.add(new Label(String.format(Locale.ROOT, "%,.0f", b64.imagesPerSecond())), 3, r);
        table.add(SummaryCard.tag("measured", "Timed on this machine, " + b1.repeats() + " and " + b64.repeats()
                + " calls after warm-up"), 4, r);
    }

    private static String ms(LatencyMeter.Latency l) {
        return String.format(Locale.ROOT, "%.2f ms (%.2f–%.2f)", l.medianMs(), l.p10Ms(), l.p90Ms());
    }
}
