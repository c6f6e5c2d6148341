package io.lathe.ui;

import io.lathe.compress.ModelStats;
import io.lathe.eval.PreviewUpdate;
import io.lathe.session.Workspace;
import javafx.geometry.HPos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The summary card: validation accuracy (estimate with its 95% interval and sample size, then exact),
 * change against the measured baseline in points, size and ratio, non-zero parameters, MACs, and how
 * many layers change size only or can run faster; every figure tagged measured, estimate or computed.
 */
final class SummaryCard extends VBox {
    private final WorkbenchModel model;
    private final Label accuracy = new Label("—");
    private final Label accuracyTag = tag("", "");
    private final Label interval = new Label();
    private final Label delta = new Label();
    private final Label baseline = new Label();
    private final Label size = new Label();
    private final Label nonZero = new Label();
    private final Label macs = new Label();
    private final Label speed = new Label();
    private final ProgressIndicator busy = new ProgressIndicator();

    SummaryCard(WorkbenchModel model) {
        this.model = model;
        getStyleClass().addAll("card", "summary-card");
        setSpacing(6);
        Label title = new Label("Validation accuracy");
        title.getStyleClass().add("card-title");
        busy.setPrefSize(16, 16);
        busy.setMaxSize(16, 16);
        busy.visibleProperty().bind(model.preview().runningProperty());
        busy.setTooltip(new Tooltip("A preview is measuring the current plan"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox head = new HBox(6, title, spacer, busy, accuracyTag);
        accuracy.getStyleClass().add("big-number");
        accuracy.setId("preview-accuracy");
        accuracy.setTooltip(new Tooltip("Top-1 accuracy of the compressed model on the validation split"));
        delta.getStyleClass().add("delta");
        delta.setId("preview-delta");
        delta.setTooltip(new Tooltip("Change against the unchanged model, in percentage points (higher is better)"));
        interval.getStyleClass().add("muted");
        baseline.getStyleClass().add("muted");
        HBox accRow = new HBox(10, accuracy, delta);
        accRow.getStyleClass().add("acc-row");
        GridPane grid = new GridPane();
        grid.getStyleClass().add("facts");
        grid.setHgap(8);
        grid.setVgap(5);
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setMinWidth(84);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        ColumnConstraints c2 = new ColumnConstraints();
        c2.setHalignment(HPos.RIGHT);
        grid.getColumnConstraints().addAll(c0, c1, c2);
        row(grid, 0, "Size", size, tag("computed", "From the weights and Lathe's stated size encoding "
                + "(bitmask + bits per kept weight + scales); not a file measurement"));
        row(grid, 1, "Non-zero", nonZero, tag("computed", "Parameters that are not zero after compression"));
        row(grid, 2, "MACs", macs, tag("computed", "Multiply-accumulates per image: dense, and on non-zero weights "
                + "(what sparse hardware would do)"));
        row(grid, 3, "Speed", speed, tag("computed", "Layers whose change only makes the model smaller (size-only) "
                + "and those that can make it faster here (latency-real: whole channels removed)"));
        size.setId("summary-size");
        CheckBox bn = new CheckBox("Calibrate BatchNorm");
        bn.setId("bn-reestimation");
        bn.setSelected(calibrates(model.editor().plan()));
        bn.selectedProperty().addListener((o, a, on) -> model.setBatchNormCalibration(on));
        model.editor().planProperty().addListener((o, a, p) -> bn.setSelected(calibrates(p)));
        bn.setTooltip(new Tooltip("Pruning shifts the activation statistics BatchNorm learned. With this on, the "
                + "plan refreshes them with forward passes over a few hundred training images (no weights change). "
                + "It is part of the plan: previews, 'lathe eval --plan', export and the exported files all "
                + "include it."));
        Label bnNote = new Label();
        bnNote.getStyleClass().add("muted");
        bnNote.textProperty().bind(bn.selectedProperty().map(on -> on
                ? "On (saved in the plan and exported)." : "Off: plain compressed weights and statistics."));
        bnNote.setWrapText(true);
        VBox bnRow = new VBox(2, bn, bnNote);
        bnRow.getStyleClass().add("bn-row");
        getChildren().addAll(head, accRow, interval, baseline, bnRow, grid);
        model.preview().latestProperty().addListener((o, a, u) -> show(u));
        model.preview().runningProperty().addListener((o, a, r) -> markStale());
        model.editor().planProperty().addListener((o, a, p) -> markStale());
        model.baselineProperty().addListener((o, a, b) -> show(model.preview().latest()));
        model.workspaceProperty().addListener((o, a, ws) -> show(model.preview().latest()));
        model.workspaces().baseStatsProperty().addListener((o, a, b) -> show(model.preview().latest()));
        show(null);
    }

    /** Greys the figures while they belong to an earlier plan than the one being edited. */
    private void markStale() {
        PreviewUpdate u = model.preview().latest();
        boolean stale = u != null && model.editor().plan() != null && !u.plan().equals(model.editor().plan());
        getStyleClass().remove("stale");
        if (stale) {
            getStyleClass().add("stale");
        }
    }

    private static void row(GridPane g, int r, String name, Label value, Label tag) {
        Label n = new Label(name);
        n.getStyleClass().add("fact-name");
        value.setWrapText(true);
        g.addRow(r, n, value, tag);
    }

    static Label tag(String kind, String tip) {
        Label l = new Label(kind);
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.getStyleClass().addAll("tag", "tag-" + kind.replace(' ', '-'));
        if (!tip.isEmpty()) {
            l.setTooltip(new Tooltip(tip));
        }
        return l;
    }

    private void setTag(String kind, String tip) {
        accuracyTag.setText(kind);
        accuracyTag.getStyleClass().removeIf(c -> c.startsWith("tag-"));
        accuracyTag.getStyleClass().add("tag-" + kind);
        accuracyTag.setTooltip(new Tooltip(tip));
    }

    private void show(PreviewUpdate u) {
        markStale();
        Workspace ws = model.workspace();
        PreviewUpdate base = model.baselineProperty().get();
        if (ws != null && ws.dataProblem() != null) {
            accuracy.setText("—");
            delta.setText("");
            interval.setText("No accuracy: " + ws.dataProblem());
            baseline.setText("");
            setTag("no data", "Open data that fits the model to measure accuracy");
        } else if (u == null) {
            accuracy.setText("—");
            delta.setText("");
            interval.setText(ws == null ? "Opening the model…" : base == null
                    ? "Measuring the baseline accuracy (see Jobs)…" : "Measuring the current plan…");
            baseline.setText(base == null ? "" : "baseline " + Formats.percent(base.top1(), 2)
                    + " (unchanged model, measured)");
            setTag("", "");
        } else {
            accuracy.setText(Formats.percent(u.top1(), 2));
            if (u.exact()) {
                interval.setText("exact: all " + Formats.count(u.total()) + " validation images");
                setTag("measured", "Measured on the whole validation split");
            } else {
                interval.setText("± " + String.format(java.util.Locale.ROOT, "%.2f", 100 * u.interval95())
                        + " pts (95% interval) · n = " + Formats.count(u.images()) + " of " + Formats.count(u.total()));
                setTag("estimate", "Measured on a class-balanced sample so far; the exact figure follows");
            }
            if (base != null) {
                double d = u.top1() - base.top1();
                delta.setText(Formats.points(d));
                delta.getStyleClass().removeAll("worse", "better");
                delta.getStyleClass().add(d < -0.00005 ? "worse" : "better");
                baseline.setText("baseline " + Formats.percent(base.top1(), 2) + " (unchanged model, measured)"
                        + (u.bnReestimated() ? " · this figure: BN re-estimated" : ""));
            }
        }
        ModelStats s = u != null ? u.stats() : base != null ? base.stats() : model.workspaces().baseStatsProperty().get();
        if (s == null) {
            size.setText("");
            nonZero.setText("");
            macs.setText("");
            speed.setText("");
            return;
        }
        size.setText(Formats.bytes(s.sizeBytes()) + " of " + Formats.bytes(s.fp32Bytes()) + " · "
                + String.format(java.util.Locale.ROOT, "%.2f×", s.compressionRatio()));
        nonZero.setText(Formats.count(s.nonZeroParams()) + " of " + Formats.count(s.totalParams()) + " params");
        macs.setText(Formats.shortCount(s.macs()) + " dense · " + Formats.shortCount(s.nonZeroMacs()) + " non-zero");
        long sizeOnly = s.layers().stream().filter(l -> l.speed().equals("size-only")).count();
        long real = s.layers().stream().filter(l -> l.speed().equals("latency-real")).count();
        speed.setText(sizeOnly + real == 0 ? "no layer changed"
                : sizeOnly + " size-only · " + real + " latency-real");
    }

    private static boolean calibrates(io.lathe.compress.Plan p) {
        return p != null && p.batchNormImages() > 0;
    }
}
