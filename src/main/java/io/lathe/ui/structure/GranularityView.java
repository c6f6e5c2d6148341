package io.lathe.ui.structure;

import io.lathe.compress.Granularity;
import io.lathe.eval.GranularityComparison;
import io.lathe.ui.Formats;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Granularity tab: scope (whole model or the selected layer), sparsity levels, validation images,
 * Run/Cancel with the expected duration, then accuracy against sparsity for element, block and channel
 * pruning on one chart, measured batch-64 latency per point on the chart beside it, and every figure
 * in a table. Points appear as they are measured. Lays out and binds only.
 */
public final class GranularityView extends ScrollPane {
    private final GranularityModel model;
    private final GranularityCharts charts = new GranularityCharts();
    private final TableView<Row> table = new TableView<>();
    private final Label estimate = new Label();

    /** One table row: a measured point of one granularity. */
    record Row(Granularity granularity, GranularityComparison.Point point, double denseTop1) {
    }

    public GranularityView(GranularityModel model) {
        this.model = model;
        setFitToWidth(true);
        setId("granularity-view");
        Label intro = new Label("Fine-grained pruning keeps accuracy; coarse-grained pruning can run faster. This "
                + "measures both on your model: the same sparsity as single weights (element), blocks and whole "
                + "channels (physically removed), without fine-tuning, each point timed against the unchanged model.");
        intro.setWrapText(true);
        intro.getStyleClass().add("muted");
        Label problem = new Label();
        problem.setWrapText(true);
        problem.getStyleClass().add("error-text");
        problem.setId("granularity-problem");
        problem.textProperty().bind(model.problemProperty().orElse(""));
        problem.visibleProperty().bind(model.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());
        Label status = new Label();
        status.setWrapText(true);
        status.setId("granularity-status");
        status.textProperty().bind(model.statusProperty());
        HBox chartRow = new HBox(8, charts.accuracy(), charts.latency());
        HBox.setHgrow(charts.accuracy(), Priority.ALWAYS);
        HBox.setHgrow(charts.latency(), Priority.ALWAYS);
        table.setId("granularity-table");
        table.setPrefHeight(260);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No points yet: choose the scope and levels, then Compare."));
        table.getColumns().addAll(List.of(
                column("Kind", r -> r.granularity().key()),
                column("Sparsity", r -> Formats.percent(r.point().sparsity(), 0)),
                column("Zeros", r -> Formats.percent(r.point().weightSparsity(), 1)),
                column("Top-1", r -> Formats.percent(r.point().top1(), 2)),
                column("Δ", r -> Formats.points(r.point().top1() - r.denseTop1()).replace(" pts", "")),
                column("ms @64", r -> String.format(Locale.ROOT, "%.2f", r.point().batch64Ms())),
                column("dense ms", r -> String.format(Locale.ROOT, "%.2f", r.point().denseBatch64Ms())),
                column("Speed-up", r -> String.format(Locale.ROOT, "%.2f×", r.point().speedup())),
                column("Params", r -> Formats.count(r.point().params()))));
        VBox body = new VBox(10, intro, scope(), controls(), problem, status, chartRow, table);
        body.getStyleClass().add("tab-body");
        setContent(body);
        model.resultProperty().addListener((o, a, r) -> show(r));
        model.levelsProperty().addListener(o -> refreshEstimate());
        model.workbench().baselineProperty().addListener(o -> refreshEstimate());
        show(null);
        refreshEstimate();
    }

    private VBox scope() {
        ToggleGroup g = new ToggleGroup();
        RadioButton whole = new RadioButton("Whole model (every conv layer; the classifier is kept)");
        whole.setToggleGroup(g);
        whole.setId("granularity-whole");
        RadioButton layer = new RadioButton();
        layer.setToggleGroup(g);
        layer.setId("granularity-layer");
        layer.textProperty().bind(model.selectedLayerProperty().map(n -> "Selected layer: " + n)
                .orElse("Selected layer (select a conv layer in the tree)"));
        layer.disableProperty().bind(model.selectedLayerProperty().isNull().or(model.runningProperty()));
        whole.disableProperty().bind(model.runningProperty());
        layer.setTooltip(new Tooltip("Prune only the layer selected in the layer tree"));
        whole.setSelected(model.wholeModelProperty().get());
        layer.setSelected(!model.wholeModelProperty().get());
        g.selectedToggleProperty().addListener((o, a, t) -> {
            if (t != null) {
                model.setWholeModel(t == whole);
            }
        });
        model.wholeModelProperty().addListener((o, a, on) -> (on ? whole : layer).setSelected(true));
        Label why = new Label();
        why.getStyleClass().add("muted");
        why.textProperty().bind(model.layerProblemProperty().orElse(""));
        why.setWrapText(true);
        return new VBox(4, whole, layer, why);
    }

    private VBox controls() {
        TextField levels = new TextField();
        levels.textProperty().bindBidirectional(model.levelsProperty());
        levels.setPrefColumnCount(10);
        levels.setId("granularity-levels");
        levels.setTooltip(new Tooltip("Fractions removed, in percent, separated by commas (of the weights, blocks or "
                + "channels in scope)"));
        ChoiceBox<Integer> images = new ChoiceBox<>();
        images.getItems().addAll(GranularityModel.IMAGE_CHOICES);
        images.setValue(model.images());
        images.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer n) {
                return n == null ? "" : n == 0 ? "all images" : n + " images";
            }

            @Override
            public Integer fromString(String s) {
                throw new UnsupportedOperationException("choice boxes do not parse text");
            }
        });
        images.setTooltip(new Tooltip("Validation images each point is measured on; fewer finish sooner"));
        images.valueProperty().addListener((o, a, n) -> {
            model.setImages(n);
            refreshEstimate();
        });
        Button run = new Button("Compare");
        run.getStyleClass().add("primary");
        run.setId("granularity-run");
        run.setOnAction(e -> model.run());
        run.disableProperty().bind(model.runningProperty().or(model.problemProperty().isNotNull()));
        Button cancel = new Button("Cancel");
        cancel.setId("granularity-cancel");
        cancel.setOnAction(e -> model.cancel());
        cancel.disableProperty().bind(model.runningProperty().not());
        estimate.getStyleClass().add("muted");
        Label levelsLabel = new Label("Sparsity levels (%)");
        levelsLabel.setMinWidth(Region.USE_PREF_SIZE);
        images.setMinWidth(Region.USE_PREF_SIZE);
        run.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        HBox settings = new HBox(8, levelsLabel, levels, new Label("on"), images);
        settings.setAlignment(Pos.CENTER_LEFT);
        HBox buttons = new HBox(8, run, cancel, estimate);
        buttons.setAlignment(Pos.CENTER_LEFT);
        return new VBox(8, settings, buttons);
    }

    private void refreshEstimate() {
        double s = model.estimatedSeconds();
        estimate.setText(Double.isNaN(s) ? "" : model.pointCount() + " points, about " + Formats.duration(s)
                + " (estimate)");
    }

    private void show(GranularityComparison.Result r) {
        charts.show(r);
        List<Row> rows = new ArrayList<>();
        if (r != null) {
            for (GranularityComparison.Series s : r.series()) {
                for (GranularityComparison.Point p : s.points()) {
                    rows.add(new Row(s.granularity(), p, r.denseTop1()));
                }
            }
        }
        table.getItems().setAll(rows);
    }

    private static TableColumn<Row, String> column(String title, Function<Row, String> value) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setSortable(false);
        return c;
    }

    TableView<Row> table() {
        return table;
    }
}
