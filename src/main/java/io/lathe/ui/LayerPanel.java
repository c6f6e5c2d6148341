package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.model.LayerInfo;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.SegmentedButton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The selected layer: shape, parameters, MACs, importance histogram with the threshold marker, the
 * threshold slider and typeable field (threshold or "70%"), granularity, bits, per-channel, weight
 * sharing (off or 4..256 shared values), lock, reset and apply-to. Bound to the {@link LayerEditor}.
 */
final class LayerPanel extends VBox {
    private static final int[] BITS = {32, 16, 8, 6, 4, 3, 2};
    private static final int[] SHARE_BITS = {0, 2, 3, 4, 6, 8};
    private final LayerEditor editor;
    private final Label name = new Label();
    private final Label facts = new Label();
    private final HistogramChart histogram = new HistogramChart();
    private final CheckBox logScale = new CheckBox("log count");
    private final Slider slider = new Slider(0, 1, 0);
    private final TextField target = new TextField();
    private final Label readout = new Label();
    private final Label message = new Label();
    private final Map<Granularity, ToggleButton> granularity = new LinkedHashMap<>();
    private final Map<Integer, ToggleButton> bits = new LinkedHashMap<>();
    private final Map<Integer, ToggleButton> share = new LinkedHashMap<>();
    private final Label shareReadout = new Label();
    private final CheckBox perChannel = new CheckBox("per-channel");
    private final ToggleButton lock = new ToggleButton(null, Icons.lock());
    private final VBox body = new VBox(8);
    private final Label empty = new Label("Select a layer in the tree to see its weights and set its threshold and bits.");
    private boolean updating;

    LayerPanel(LayerEditor editor) {
        this.editor = editor;
        getStyleClass().addAll("card", "layer-panel");
        setSpacing(8);
        Label title = new Label("Selected layer");
        title.getStyleClass().add("card-title");
        name.getStyleClass().add("layer-name");
        name.setId("layer-name");
        facts.getStyleClass().add("muted");
        facts.setWrapText(true);
        lock.setId("layer-lock");
        lock.setTooltip(new Tooltip("Lock: keep this layer's settings when global settings change or settings are "
                + "applied to its block, stage or everything"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox head = new HBox(6, title, spacer, lock);
        head.setAlignment(Pos.CENTER_LEFT);

        logScale.setTooltip(new Tooltip("Show counts on a log scale, to see the few large weights"));
        logScale.selectedProperty().addListener((o, a, on) -> histogram.setLog(on));
        histogram.node().setId("layer-histogram");

        slider.setId("threshold-slider");
        slider.setTooltip(new Tooltip("Threshold: weights (or blocks/channels) with importance below it are removed; "
                + "drag to see accuracy change"));
        target.setId("threshold-field");
        target.setPrefColumnCount(7);
        target.setTooltip(new Tooltip("Type a threshold (e.g. 0.02) or a target sparsity (e.g. 70%), then Enter"));
        readout.setId("threshold-readout");
        readout.getStyleClass().add("readout");
        Label thresholdLabel = new Label("Threshold");
        thresholdLabel.setMinWidth(Region.USE_PREF_SIZE);
        readout.setMinWidth(Region.USE_PREF_SIZE);
        HBox targetRow = new HBox(8, thresholdLabel, target, readout);
        targetRow.setAlignment(Pos.CENTER_LEFT);

        SegmentedButton gran = new SegmentedButton();
        for (Granularity g : Granularity.values()) {
            ToggleButton b = new ToggleButton(g.key());
            b.setTooltip(new Tooltip(switch (g) {
                case ELEMENT -> "Element: remove single weights (smaller, not faster on dense kernels)";
                case BLOCK -> "Block: remove 1×4 blocks of weights inside each filter";
                case CHANNEL -> "Channel: remove whole output channels (can make inference faster)";
            }));
            b.setOnAction(e -> {
                if (!updating) {
                    editor.setGranularity(g);
                }
            });
            granularity.put(g, b);
            gran.getButtons().add(b);
        }
        SegmentedButton bitButtons = new SegmentedButton();
        for (int bw : BITS) {
            ToggleButton b = new ToggleButton(Integer.toString(bw));
            b.setId("bits-" + bw);
            b.setTooltip(new Tooltip(bw == 32 ? "32 bits: weights unchanged" : bw == 16 ? "16 bits: half precision (FP16)"
                    : bw + "-bit integers with one scale per channel or per layer"));
            b.setOnAction(e -> {
                if (!updating) {
                    editor.setBits(bw);
                }
            });
            bits.put(bw, b);
            bitButtons.getButtons().add(b);
        }
        SegmentedButton shareButtons = new SegmentedButton();
        for (int sb : SHARE_BITS) {
            ToggleButton b = new ToggleButton(sb == 0 ? "off" : Integer.toString(1 << sb));
            b.setId("share-" + sb);
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setTooltip(new Tooltip(sb == 0 ? "No weight sharing: the bit width above applies"
                    : "Share weights: k-means puts the layer's non-zero weights into " + (1 << sb) + " shared values "
                    + "(stored as " + sb + "-bit indices plus a codebook); replaces the bit width"));
            b.setOnAction(e -> {
                if (!updating) {
                    editor.setShare(sb);
                }
            });
            share.put(sb, b);
            shareButtons.getButtons().add(b);
        }
        shareReadout.setId("share-readout");
        shareReadout.getStyleClass().add("muted");
        shareReadout.setWrapText(true);
        perChannel.setTooltip(new Tooltip("One quantization scale per output channel (usually more accurate) "
                + "instead of one for the whole layer"));
        perChannel.selectedProperty().addListener((o, a, on) -> {
            if (!updating) {
                editor.setPerChannel(on);
            }
        });

        Label applyLabel = new Label("Apply to");
        applyLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox applyRow = new HBox(4, applyLabel);
        applyRow.setAlignment(Pos.CENTER_LEFT);
        for (ApplyScope s : ApplyScope.values()) {
            Button b = new Button(switch (s) {
                case SELECTION -> "Selection";
                case BLOCK -> "Block";
                case STAGE -> "Stage";
                case ALL -> "All";
            });
            b.setId("apply-" + s.name().toLowerCase(java.util.Locale.ROOT));
            b.getStyleClass().add("small-button");
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setTooltip(new Tooltip("Copy this layer's sparsity, granularity, bits and weight sharing to " + s.phrase()
                    + " (locked layers are skipped)"));
            b.setOnAction(e -> message.setText(editor.applyTo(s)));
            applyRow.getChildren().add(b);
        }
        Button reset = new Button("Reset");
        reset.getStyleClass().add("small-button");
        reset.setMinWidth(Region.USE_PREF_SIZE);
        reset.setTooltip(new Tooltip("Drop this layer's own settings: it follows the global settings again"));
        reset.setOnAction(e -> editor.reset());
        Region sp2 = new Region();
        HBox.setHgrow(sp2, Priority.ALWAYS);
        applyRow.getChildren().addAll(sp2, reset);
        message.getStyleClass().add("muted");
        message.setWrapText(true);

        HBox histHead = new HBox(new Label("Weight importance"), new Region(), logScale);
        HBox.setHgrow(histHead.getChildren().get(1), Priority.ALWAYS);
        body.getChildren().addAll(name, facts, histHead, histogram.node(), slider, targetRow,
                labelled("Granularity", gran), labelled("Bits", bitButtons), perChannel,
                labelled("Share", shareButtons), shareReadout, applyRow, message);
        empty.setWrapText(true);
        empty.getStyleClass().add("empty-state");
        getChildren().addAll(head, empty, body);
        wire();
    }

    private static HBox labelled(String text, javafx.scene.Node n) {
        Label l = new Label(text);
        l.setMinWidth(74);
        HBox h = new HBox(8, l, n);
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    private void wire() {
        slider.valueProperty().addListener((o, a, v) -> {
            if (!updating) {
                editor.dragThreshold(v.doubleValue());
                if (!slider.isValueChanging()) {
                    editor.release();
                }
            }
        });
        slider.valueChangingProperty().addListener((o, was, now) -> {
            if (!now) {
                editor.release();
            }
        });
        target.setOnAction(e -> {
            String problem = editor.enterTarget(target.getText());
            message.setText(problem == null ? "" : problem);
            target.getStyleClass().remove("invalid");
            if (problem != null) {
                target.getStyleClass().add("invalid");
            }
        });
        lock.selectedProperty().addListener((o, a, on) -> {
            if (!updating) {
                editor.setLocked(on);
            }
        });
        editor.layerProperty().addListener((o, a, l) -> {
            message.setText("");
            show();
        });
        editor.thresholdProperty().addListener((o, a, b) -> show());
        editor.sparsityProperty().addListener((o, a, b) -> show());
        editor.bitsProperty().addListener((o, a, b) -> show());
        editor.granularityProperty().addListener((o, a, b) -> show());
        editor.lockedProperty().addListener((o, a, b) -> show());
        editor.perChannelProperty().addListener((o, a, b) -> show());
        editor.shareBitsProperty().addListener((o, a, b) -> show());
        editor.targetTextProperty().addListener((o, a, b) -> show());
        editor.histogramProperty().addListener((o, a, h) -> histogram.setHistogram(h));
        show();
    }

    private void show() {
        LayerInfo l = editor.layer();
        body.setVisible(l != null);
        body.setManaged(l != null);
        empty.setVisible(l == null);
        empty.setManaged(l == null);
        lock.setDisable(l == null);
        if (l == null) {
            return;
        }
        updating = true;
        name.setText(l.name());
        facts.setText(l.kind().label() + " · " + l.shapeText() + " · " + Formats.count(l.params()) + " params · "
                + Formats.shortCount(l.macs()) + " MACs");
        slider.setMax(Math.max(editor.maxThresholdProperty().get(), 1e-9));
        if (!slider.isValueChanging()) {
            slider.setValue(editor.thresholdProperty().get());
        }
        if (!target.isFocused() || !target.getText().equals(editor.targetTextProperty().get())) {
            target.setText(editor.targetTextProperty().get());
        }
        String both = editor.sparsityTargetProperty().get()
                ? "= threshold " + Formats.number(editor.thresholdProperty().get())
                : "= " + Formats.percent(editor.sparsityProperty().get(), 1) + " removed";
        readout.setText(both);
        histogram.setThreshold(editor.thresholdProperty().get(), Formats.percent(editor.sparsityProperty().get(), 1)
                + " removed");
        granularity.forEach((g, b) -> b.setSelected(g == editor.granularityProperty().get()));
        int sb = editor.shareBitsProperty().get();
        bits.forEach((bw, b) -> b.setSelected(sb == 0 && bw == editor.bitsProperty().get()));
        share.forEach((k, b) -> b.setSelected(k == sb));
        shareReadout.setText(sb == 0 ? "" : (1 << sb) + " shared values: " + sb + "-bit indices + a codebook "
                + "(replaces the bit width; size and preview include it)");
        shareReadout.setVisible(sb != 0);
        shareReadout.setManaged(sb != 0);
        perChannel.setSelected(editor.perChannelProperty().get());
        perChannel.setDisable(sb != 0 || editor.bitsProperty().get() > 8);
        lock.setSelected(editor.lockedProperty().get());
        updating = false;
    }
}
