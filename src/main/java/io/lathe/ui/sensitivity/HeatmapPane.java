package io.lathe.ui.sensitivity;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The heatmap of accuracy drop, layers (rows, execution order) × levels (columns: sparsities, then
 * bit widths): white for no drop through red for a drop of {@value #FULL_RED} points or more, grey
 * "·" where not measured yet. Clicking a row selects its layer.
 */
final class HeatmapPane extends VBox {
    static final double FULL_RED = 10;
    private final GridPane grid = new GridPane();
    private final Consumer<String> onSelect;

    HeatmapPane(Consumer<String> onSelect) {
        this.onSelect = onSelect;
        setId("sensitivity-heatmap");
        Label title = new Label("Accuracy drop (points) with only that layer compressed — lower is better");
        title.getStyleClass().add("pane-title");
        grid.setHgap(1);
        grid.setVgap(1);
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(false);
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(title, scroll);
        setSpacing(4);
    }

    void update(SensitivityHeatmap h, String selected) {
        grid.getChildren().clear();
        for (int j = 0; j < h.levels().size(); j++) {
            Label head = new Label(h.levels().get(j));
            head.setStyle("-fx-font-size: 10px; -fx-text-fill: #555d68;");
            head.setMinWidth(38);
            head.setAlignment(Pos.CENTER);
            grid.add(head, j + 1, 0);
        }
        for (int i = 0; i < h.layers().size(); i++) {
            String layer = h.layers().get(i);
            Label name = new Label(layer);
            name.setStyle("-fx-font-size: 10.5px;" + (layer.equals(selected) ? " -fx-font-weight: bold; -fx-text-fill: #2F6FDE;" : ""));
            name.setOnMouseClicked(e -> onSelect.accept(layer));
            grid.add(name, 0, i + 1);
            for (int j = 0; j < h.levels().size(); j++) {
                double d = h.dropPoints()[i][j];
                Label cell = new Label(Double.isNaN(d) ? "·" : String.format(Locale.ROOT, "%.1f", d));
                cell.setMinWidth(38);
                cell.setPrefHeight(17);
                cell.setAlignment(Pos.CENTER);
                cell.setStyle("-fx-font-size: 10px; -fx-background-color: " + colour(d) + ";"
                        + (d >= FULL_RED / 2 ? " -fx-text-fill: white;" : ""));
                Tooltip.install(cell, new Tooltip(layer + " at " + h.levels().get(j) + ": " + (Double.isNaN(d)
                        ? "not measured yet" : String.format(Locale.ROOT, "%.2f points lost", d))));
                cell.setOnMouseClicked(e -> onSelect.accept(layer));
                grid.add(cell, j + 1, i + 1);
            }
        }
    }

    /** White (no drop) to red (≥ FULL_RED points); light grey when not measured. */
    static String colour(double drop) {
        if (Double.isNaN(drop)) {
            return "#eef0f3";
        }
        double t = Math.max(0, Math.min(1, drop / FULL_RED));
        int g = (int) Math.round(255 - t * (255 - 0x45));
        int r = (int) Math.round(255 - t * (255 - 0xD6));
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", r, g, g);
    }
}
