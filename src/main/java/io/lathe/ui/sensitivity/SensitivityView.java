package io.lathe.ui.sensitivity;

import io.lathe.model.LayerInfo;
import io.lathe.sensitivity.AllocationComparison;
import io.lathe.sensitivity.AllocationGoal;
import io.lathe.ui.Formats;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.List;
import java.util.Locale;

/**
 * The Sensitivity tab: sweep controls with progress, the per-layer accuracy-vs-sparsity and
 * accuracy-vs-bits curves with the selected layer highlighted, the heatmap of accuracy drop, and the
 * allocation (goal, Allocate, Preview, Apply, report against the uniform plan). Lays out and binds only.
 */
public final class SensitivityView extends BorderPane {
    private final SensitivityModel model;
    private final CurveChart sparsityChart = new CurveChart("Accuracy vs sparsity, one layer pruned (higher is better)",
            "weights removed in that layer (%)", 100, false, "sensitivity-sparsity-chart");
    private final CurveChart bitsChart = new CurveChart("Accuracy vs bits, one layer quantized (higher is better)",
            "weight bits (fewer to the right)", 1, true, "sensitivity-bits-chart");
    private final HeatmapPane heatmap;
    private final VBox empty = new VBox(10);
    private final Label estimate = new Label();
    private final Label emptyReason = new Label();
    private boolean shown = true;
    private boolean stale;

    public SensitivityView(SensitivityModel model) {
        this.model = model;
        getStyleClass().add("tab-body");
        setId("sensitivity-view");
        heatmap = new HeatmapPane(layer -> model.workbench().layers().select(layer, List.of(layer)));
        setTop(controls());
        VBox charts = new VBox(6, sparsityChart.node(), bitsChart.node());
        VBox.setVgrow(sparsityChart.node(), Priority.ALWAYS);
        VBox.setVgrow(bitsChart.node(), Priority.ALWAYS);
        SplitPane body = new SplitPane(charts, heatmap);
        body.setDividerPositions(0.52);
        StackPane stack = new StackPane(body, emptyState());
        setCenter(stack);
        setBottom(allocation());
        body.visibleProperty().bind(model.curvesProperty().isNotNull());
        empty.visibleProperty().bind(model.curvesProperty().isNull());
        model.curvesProperty().addListener((o, a, b) -> redraw());
        model.targetDropProperty().addListener((o, a, b) -> redraw());
        model.workbench().layers().layerProperty().addListener((o, a, b) -> redraw());
        model.workbench().editor().planProperty().addListener((o, a, b) -> redraw());
        model.workbench().workspaceProperty().addListener((o, a, b) -> refreshEmpty());
        model.workbench().baselineProperty().addListener((o, a, b) -> refreshEmpty());
        refreshEmpty();
    }

    private Region controls() {
        Button run = new Button("Run sensitivity analysis");
        run.getStyleClass().add("primary");
        run.setId("sensitivity-run");
        run.setTooltip(new Tooltip("Measure validation accuracy with only one layer pruned (0–98%) or quantized "
                + "(8–2 bits), for every prunable layer; stored points are reused"));
        run.setOnAction(e -> model.run());
        run.disableProperty().bind(model.runningProperty());
        model.curvesProperty().addListener((o, a, c) -> run.setText(model.canResume() ? "Resume analysis"
                : c == null ? "Run sensitivity analysis" : "Re-run (reuses stored points)"));
        model.runningProperty().addListener((o, a, r) -> run.setText(model.canResume() ? "Resume analysis"
                : model.curvesProperty().get() == null ? "Run sensitivity analysis" : "Re-run (reuses stored points)"));
        Button cancel = new Button("Cancel");
        cancel.setId("sensitivity-cancel");
        cancel.setTooltip(new Tooltip("Stop after the current point; measured points are kept and Resume continues"));
        cancel.setOnAction(e -> model.cancel());
        cancel.disableProperty().bind(model.runningProperty().not());
        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(model.fractionProperty());
        bar.setPrefWidth(140);
        bar.visibleProperty().bind(model.curvesProperty().isNotNull());
        Label status = new Label();
        status.textProperty().bind(model.statusProperty());
        status.getStyleClass().add("muted");
        status.setId("sensitivity-status");
        HBox.setHgrow(status, Priority.ALWAYS);
        status.setMaxWidth(Double.MAX_VALUE);
        TextField target = new TextField(format(model.targetDropProperty().get()));
        target.setPrefColumnCount(4);
        target.setTooltip(new Tooltip("Accuracy drop allowed per layer, in points: the red line; where a curve "
                + "crosses it is that layer's allowance"));
        target.setOnAction(e -> parseTarget(target));
        target.focusedProperty().addListener((o, a, f) -> {
            if (!f) {
                parseTarget(target);
            }
        });
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        TextField master = new TextField();
        master.setId("sensitivity-spark-master");
        master.setPrefColumnCount(14);
        master.textProperty().bindBidirectional(model.clusterMasterProperty());
        master.setTooltip(new Tooltip("Spark master: local[2] (Spark in this process), or spark://HOST:7077 for a "
                + "standalone cluster whose executors read the same data folder; remembered"));
        Button onSpark = new Button("Run on Spark");
        onSpark.setId("sensitivity-run-spark");
        onSpark.setTooltip(new Tooltip("Send the sweep's variants to the Spark master as tasks; the curves fill in "
                + "as tasks finish, and the results are stored like a local sweep's"));
        onSpark.setOnAction(e -> model.runOnCluster());
        onSpark.disableProperty().bind(model.runningProperty());
        HBox top = new HBox(8, run, cancel, new Label("or on"), master, onSpark, gap, new Label("Target drop"), target,
                new Label("pts"));
        top.setAlignment(Pos.CENTER_LEFT);
        HBox progress = new HBox(8, bar, status);
        progress.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, top, progress);
        box.setPadding(new Insets(0, 0, 8, 0));
        return box;
    }

    private void parseTarget(TextField f) {
        try {
            double v = Double.parseDouble(f.getText().trim());
            if (v >= 0 && v <= 100) {
                model.targetDropProperty().set(v);
            }
        } catch (NumberFormatException e) {
            // keeps the previous value, shown again below
        }
        f.setText(format(model.targetDropProperty().get()));
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private Region emptyState() {
        empty.setAlignment(Pos.CENTER);
        empty.getStyleClass().add("empty-panel");
        empty.setId("sensitivity-empty");
        Label h = new Label("Run the sensitivity analysis to see how much accuracy each layer loses when only it is "
                + "pruned or quantized.");
        h.getStyleClass().add("empty-headline");
        h.setWrapText(true);
        h.setMaxWidth(520);
        Button run = new Button("Run sensitivity analysis");
        run.getStyleClass().add("primary");
        run.setId("sensitivity-run-empty");
        run.setOnAction(e -> model.run());
        estimate.getStyleClass().add("muted");
        estimate.setWrapText(true);
        estimate.setMaxWidth(520);
        emptyReason.getStyleClass().add("muted");
        emptyReason.setWrapText(true);
        emptyReason.setMaxWidth(520);
        run.disableProperty().bind(emptyReason.textProperty().isNotEmpty());
        empty.getChildren().addAll(h, run, estimate, emptyReason);
        return empty;
    }

    private void refreshEmpty() {
        String why = model.unavailableReason();
        emptyReason.setText(why == null ? "" : "Not possible yet: " + why + ".");
        double s = model.estimatedSeconds();
        if (why != null) {
            estimate.setText("");
        } else {
            var spec = model.spec();
            int points = spec.layers().size() * (spec.sparsities().length + spec.bits().length);
            estimate.setText(spec.layers().size() + " layers × " + (spec.sparsities().length + spec.bits().length)
                    + " levels = " + points + " points on the validation split. "
                    + (Double.isNaN(s) ? "Duration estimate after the baseline is measured."
                    : "Estimated at most " + Formats.duration(s) + " (every point as a full pass at the measured "
                    + "baseline speed; re-running only the layers after the changed one is usually faster)."));
        }
    }

    /**
     * Says whether the tab is on screen. While it is not, plan and selection changes only mark the charts
     * stale (a slider drag changes the plan at every step and every redraw rebuilds all curves); shown
     * again, they catch up. FX thread.
     */
    public void setShown(boolean on) {
        shown = on;
        if (on && stale) {
            redraw();
        }
    }

    private void redraw() {
        if (!shown) {
            stale = true;
            return;
        }
        stale = false;
        var c = model.curvesProperty().get();
        LayerInfo sel = model.workbench().layers().layer();
        String selected = sel == null ? null : sel.name();
        double[] cur = selected == null ? null : model.currentSetting(selected);
        List<String> layers = model.layers();
        double base = c == null ? Double.NaN : c.baseline();
        sparsityChart.update(layers, model::sparsityPoints, selected, cur == null ? Double.NaN : cur[0], base,
                model.targetAccuracy());
        bitsChart.update(layers, model::bitPoints, selected, cur == null || cur[1] >= 32 ? Double.NaN : cur[1], base,
                model.targetAccuracy());
        heatmap.update(model.heatmap(), selected);
    }

    private Region allocation() {
        Label title = new Label("Allocation");
        title.getStyleClass().add("pane-title");
        ChoiceBox<AllocationGoal.Kind> kind = new ChoiceBox<>();
        kind.getItems().addAll(AllocationGoal.Kind.values());
        kind.setConverter(new StringConverter<>() {
            @Override
            public String toString(AllocationGoal.Kind k) {
                return k == null ? "" : switch (k) {
                    case SPARSITY -> "Global sparsity (%)";
                    case SIZE_KB -> "Model size (KB)";
                    case MAX_DROP -> "Max accuracy drop (pts)";
                };
            }

            @Override
            public AllocationGoal.Kind fromString(String s) {
                return null;
            }
        });
        kind.valueProperty().bindBidirectional(model.goalKindProperty());
        kind.setId("allocation-goal-kind");
        TextField value = new TextField("70");
        value.setPrefColumnCount(6);
        value.setId("allocation-goal-value");
        Label problem = new Label();
        problem.getStyleClass().add("muted");
        Button allocate = new Button("Allocate");
        allocate.setId("allocation-allocate");
        allocate.setTooltip(new Tooltip("Per-layer sparsity (and bits for a size goal) from the measured curves, "
                + "cheapest layers first; locked layers keep their settings. Then measured against the uniform plan."));
        allocate.setOnAction(e -> problem.setText(orEmpty(model.allocate(value.getText()))));
        allocate.disableProperty().bind(model.curvesProperty().isNull().or(model.allocatingProperty()));
        Button preview = new Button("Preview");
        preview.setId("allocation-preview");
        preview.setTooltip(new Tooltip("Show the allocated plan's accuracy and size in the summary card; your plan is unchanged"));
        preview.setOnAction(e -> model.preview());
        Button apply = new Button("Apply");
        apply.getStyleClass().add("primary");
        apply.setId("allocation-apply");
        apply.setTooltip(new Tooltip("Set the sliders to the allocation (one step, Ctrl+Z undoes it); locked layers are kept"));
        apply.setOnAction(e -> model.apply());
        preview.disableProperty().bind(model.allocationProperty().isNull());
        apply.disableProperty().bind(model.allocationProperty().isNull());
        Label report = new Label();
        report.setWrapText(true);
        report.setId("allocation-report");
        report.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> reportText(
                model.allocationProperty().get(), model.allocationStatusProperty().get(), model.curvesProperty().get() != null),
                model.allocationProperty(), model.allocationStatusProperty(), model.curvesProperty()));
        HBox row = new HBox(8, title, kind, value, allocate, preview, apply, problem);
        row.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(4, row, report);
        box.setPadding(new Insets(8, 0, 0, 0));
        return box;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static String reportText(AllocationComparison a, String status, boolean haveCurves) {
        if (!status.isEmpty()) {
            return status;
        }
        if (a == null) {
            return haveCurves ? "Choose a goal and press Allocate: layers that lose least get compressed most."
                    : "The allocation needs the sensitivity curves: run the analysis above first.";
        }
        var s = a.allocation().stats();
        var u = a.uniformStats();
        return String.format(Locale.ROOT, "Allocated: %.2f%% validation top-1 (measured, %s images), sparsity %.1f%%, "
                        + "%s — uniform plan of the same %s: %.2f%% (sparsity %.1f%%, %s). Allocated %s vs uniform; "
                        + "baseline %.2f%%. Curves predicted a drop of %.2f pts (estimate, drops assumed to add up).",
                100 * a.allocatedTop1(), Formats.count(a.images()), 100 * s.sparsity(), Formats.bytes(s.sizeBytes()),
                a.allocation().goal().usesBits() ? "size" : "sparsity", 100 * a.uniformTop1(), 100 * u.sparsity(),
                Formats.bytes(u.sizeBytes()), Formats.points(a.allocatedTop1() - a.uniformTop1()), 100 * a.baselineTop1(),
                a.allocation().estimatedDrop())
                + (a.calibrated() ? String.format(Locale.ROOT, " Both with BatchNorm calibration on %s training images; "
                        + "without it: allocated %.2f%%, uniform %.2f%%.",
                Formats.count(a.allocation().plan().batchNormImages()), 100 * a.allocatedPlainTop1(),
                100 * a.uniformPlainTop1()) : "");
    }
}
