package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;

import java.util.Locale;

/**
 * The global strip above the charts: uniform sparsity (slider + typeable field), default bits,
 * default granularity, and "reset overrides" (asks first). Global settings change the plan's
 * defaults, so layers with their own settings keep them.
 */
final class GlobalStrip extends FlowPane {
    private final WorkbenchModel model;
    private final Slider sparsity = new Slider(0, 0.95, 0);
    private final TextField sparsityField = new TextField();
    private final ChoiceBox<Integer> bits = new ChoiceBox<>();
    private final ChoiceBox<Granularity> granularity = new ChoiceBox<>();
    private final Button reset = new Button("Reset overrides");
    private boolean updating;

    GlobalStrip(WorkbenchModel model, Runnable confirmReset) {
        this.model = model;
        getStyleClass().add("global-strip");
        setAlignment(Pos.CENTER_LEFT);
        setHgap(10);
        setVgap(6);
        Label title = new Label("ALL LAYERS");
        title.getStyleClass().add("strip-title");
        sparsity.setId("uniform-sparsity");
        sparsity.setPrefWidth(150);
        sparsity.setMinWidth(80);
        sparsity.setTooltip(new Tooltip("Uniform sparsity: the fraction of weights removed from every layer that has "
                + "no settings of its own (locked and hand-set layers keep theirs)"));
        sparsityField.setPrefColumnCount(5);
        sparsityField.setId("uniform-sparsity-field");
        sparsityField.setTooltip(new Tooltip("Type a uniform sparsity, e.g. 50%, and press Enter"));
        bits.getItems().addAll(32, 16, 8, 6, 4, 3, 2);
        bits.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer b) {
                return b == null ? "" : b == 32 ? "32 (off)" : b == 16 ? "16 (FP16)" : b + "-bit int";
            }

            @Override
            public Integer fromString(String s) {
                return Integer.parseInt(s.split(" |-")[0]);
            }
        });
        bits.setTooltip(new Tooltip("Default bit width for layers without their own: 32 leaves weights unchanged, "
                + "16 is half precision, 8 to 2 are integers"));
        granularity.getItems().addAll(Granularity.values());
        granularity.setConverter(new StringConverter<>() {
            @Override
            public String toString(Granularity g) {
                return g == null ? "" : g.key();
            }

            @Override
            public Granularity fromString(String s) {
                return Granularity.parse(s);
            }
        });
        granularity.setTooltip(new Tooltip("Default granularity: remove single weights (element, smaller only), blocks, "
                + "or whole channels (channel, can be faster)"));
        reset.setTooltip(new Tooltip("Remove every layer's own settings and locks, after asking"));
        reset.setOnAction(e -> confirmReset.run());
        getChildren().addAll(title, new Label("Uniform sparsity"), sparsity, sparsityField, new Label("Bits"), bits,
                new Label("Granularity"), granularity, reset);
        getChildren().forEach(n -> {
            if (n instanceof javafx.scene.control.Control c && n != sparsity) {
                c.setMinWidth(Region.USE_PREF_SIZE);
            }
        });

        sparsity.valueProperty().addListener((o, a, v) -> {
            if (!updating) {
                model.setUniformSparsity(v.doubleValue(), sparsity.isValueChanging());
            }
        });
        sparsity.valueChangingProperty().addListener((o, was, now) -> {
            if (!now && !updating) {
                model.endUniformDrag();
            }
        });
        sparsityField.setOnAction(e -> typed());
        bits.valueProperty().addListener((o, a, b) -> {
            if (!updating && b != null) {
                model.setDefaultBits(b);
            }
        });
        granularity.valueProperty().addListener((o, a, g) -> {
            if (!updating && g != null) {
                model.setDefaultGranularity(g);
            }
        });
        model.editor().planProperty().addListener((o, a, p) -> show(p));
        disableProperty().bind(model.workspaceProperty().isNull());
    }

    private void typed() {
        String t = sparsityField.getText().trim().replace("%", "").replace(',', '.');
        try {
            double v = Double.parseDouble(t) / 100;
            if (v < 0 || v > 0.99) {
                throw new NumberFormatException();
            }
            model.setUniformSparsity(v, false);
            sparsityField.getStyleClass().remove("invalid");
        } catch (NumberFormatException ex) {
            sparsityField.getStyleClass().add("invalid");
            sparsityField.setTooltip(new Tooltip("Type a percentage from 0 to 99, e.g. 50%"));
        }
    }

    private void show(Plan p) {
        if (p == null) {
            return;
        }
        updating = true;
        Double s = p.defaultPrune().sparsity();
        if (!sparsity.isValueChanging()) {
            sparsity.setValue(s == null ? 0 : s);
        }
        sparsityField.setText(s == null ? "threshold" : String.format(Locale.ROOT, "%.0f%%", 100 * s));
        bits.setValue(p.defaultQuant().bits());
        granularity.setValue(p.defaultPrune().granularity());
        int n = p.layers().size();
        reset.setText(n == 0 ? "Reset overrides" : "Reset overrides (" + n + ")");
        reset.setDisable(n == 0);
        updating = false;
    }
}
