package io.lathe.ui.structure;

import io.lathe.eval.LatencyMeter;
import io.lathe.session.StructureService;
import io.lathe.ui.Formats;
import io.lathe.ui.LatestJob;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.Locale;

/**
 * The Structure tab: remove the plan's channels physically, then the measured before/after table
 * (validation top-1, latency at batch 1 and 64, parameters, MACs), the per-layer time chart, which
 * channels were kept, and "Continue with the smaller model" / "Back to …". Lays out and binds only.
 */
public final class StructureView extends ScrollPane {
    private final StructureModel model;
    private final GridPane table = new GridPane();
    private final LayerTimeChart layers = new LayerTimeChart();
    private final Label kept = new Label();
    private final Label estimate = new Label();
    private final Label staleNote = new Label();

    public StructureView(StructureModel model) {
        this.model = model;
        setFitToWidth(true);
        setId("structure-view");
        Label intro = new Label("Whole-channel pruning only makes the network faster once the channels are gone. This "
                + "builds the smaller network from the plan's channel settings (coupled residual layers keep one "
                + "shared set), then measures it against the unchanged model on this machine.");
        intro.setWrapText(true);
        intro.getStyleClass().add("muted");
        VBox body = new VBox(10, intro, controls(), problemLabel(), status(), table, staleNote, actions(),
                layers.node(), kept);
        body.getStyleClass().add("tab-body");
        table.setHgap(20);
        table.setVgap(6);
        table.setId("structure-table");
        kept.setWrapText(true);
        kept.getStyleClass().add("muted");
        staleNote.setWrapText(true);
        staleNote.getStyleClass().add("muted");
        estimate.getStyleClass().add("muted");
        setContent(body);
        model.reportProperty().addListener((o, a, r) -> show(r));
        var wb = model.workbench();
        for (var p : new javafx.beans.Observable[]{wb.workspaceProperty(), wb.editor().planProperty(),
                wb.baselineProperty(), model.stateProperty()}) {
            p.addListener(x -> refresh());
        }
        show(null);
        refresh();
    }

    private VBox controls() {
        ChoiceBox<Integer> round = new ChoiceBox<>();
        round.getItems().addAll(StructureService.ROUNDINGS);
        round.setValue(model.roundTo());
        round.setConverter(converter(n -> n == 1 ? "exact count" : "rounded up to ×" + n));
        round.setTooltip(new Tooltip("Round each layer's kept channel count up to a multiple of 8 or 16: odd counts "
                + "can run slower on vectorised kernels than a few more channels"));
        round.valueProperty().addListener((o, a, n) -> model.setRoundTo(n));
        round.setId("structure-round");
        ChoiceBox<Integer> images = new ChoiceBox<>();
        images.getItems().addAll(StructureModel.IMAGE_CHOICES);
        images.setValue(model.images());
        images.setConverter(converter(n -> n == 0 ? "all images" : n + " images"));
        images.setMinWidth(Region.USE_PREF_SIZE);
        round.setMinWidth(Region.USE_PREF_SIZE);
        images.setTooltip(new Tooltip("Validation images the before/after accuracy is measured on (the same images "
                + "for both)"));
        images.valueProperty().addListener((o, a, n) -> {
            model.setImages(n);
            refresh();
        });
        Button run = new Button("Remove channels and measure");
        run.getStyleClass().add("primary");
        run.setId("structure-run");
        run.setTooltip(new Tooltip("Build the physically smaller network of the current plan and measure accuracy, "
                + "whole-model latency (batch 1 and 64, both models alternating) and per-layer time"));
        run.setOnAction(e -> model.run());
        Button cancel = new Button("Cancel");
        cancel.setId("structure-cancel");
        cancel.setOnAction(e -> model.cancel());
        var running = model.stateProperty().isEqualTo(LatestJob.State.RUNNING);
        run.disableProperty().bind(running.or(model.problemProperty().isNotNull()));
        cancel.disableProperty().bind(running.not());
        Label roundLabel = new Label("Kept channels");
        roundLabel.setMinWidth(Region.USE_PREF_SIZE);
        Label imagesLabel = new Label("Validation");
        imagesLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox settings = new HBox(8, roundLabel, round, imagesLabel, images);
        settings.setAlignment(Pos.CENTER_LEFT);
        for (Button b : new Button[]{run, cancel}) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox buttons = new HBox(8, run, cancel, estimate);
        buttons.setAlignment(Pos.CENTER_LEFT);
        return new VBox(8, settings, buttons);
    }

    private Label problemLabel() {
        Label p = new Label();
        p.setWrapText(true);
        p.setId("structure-problem");
        p.getStyleClass().add("error-text");
        p.textProperty().bind(model.problemProperty().orElse(""));
        p.visibleProperty().bind(model.problemProperty().isNotNull());
        p.managedProperty().bind(p.visibleProperty());
        return p;
    }

    private Label status() {
        Label s = new Label();
        s.setWrapText(true);
        s.setId("structure-status");
        s.textProperty().bind(model.statusProperty());
        return s;
    }

    private VBox actions() {
        Button keep = new Button("Continue with the smaller model");
        keep.getStyleClass().add("primary");
        keep.setId("structure-continue");
        keep.setTooltip(new Tooltip("Make the smaller network the model previews, fine-tuning and export use; "
                + "its plan keeps the settings other than channel removal"));
        keep.disableProperty().bind(model.canContinueProperty().not());
        keep.setOnAction(e -> confirmContinue());
        Button back = new Button();
        back.setId("structure-back");
        back.textProperty().bind(model.backToProperty().map(n -> "Back to " + n).orElse("Back to the original"));
        back.setTooltip(new Tooltip("Reopen the model the smaller one was made from, with the plan it had"));
        back.visibleProperty().bind(model.backToProperty().isNotNull());
        back.managedProperty().bind(back.visibleProperty());
        back.setOnAction(e -> model.goBack());
        Label why = new Label("Continuing swaps the model in use (the unchanged one stays in memory: \"Back to …\" "
                + "returns to it with its plan). Fine-tune the smaller model to win back accuracy.");
        why.setWrapText(true);
        why.getStyleClass().add("muted");
        HBox row = new HBox(8, keep, back);
        return new VBox(6, row, why);
    }

    private void confirmContinue() {
        StructureService.Report r = model.reportProperty().get();
        ButtonType ok = new ButtonType("Continue", ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "The workspace switches to " + r.smallerName() + " ("
                + Formats.count(r.after().totalParams()) + " parameters). Its plan starts with the settings other than "
                + "channel removal; the current model and plan stay available through \"Back to "
                + model.workbench().workspace().modelName() + "\".", ok, ButtonType.CANCEL);
        a.initOwner(getScene() == null ? null : getScene().getWindow());
        a.setTitle("Lathe");
        a.setHeaderText("Continue with the smaller model?");
        if (a.showAndWait().filter(ok::equals).isPresent()) {
            model.continueWithSmaller();
        }
    }

    private void refresh() {
        double s = model.estimatedSeconds();
        estimate.setText(Double.isNaN(s) ? "" : "about " + Formats.duration(s) + " (estimate)");
        boolean stale = model.reportProperty().get() != null && !model.reportIsCurrent();
        staleNote.setText(stale ? "These figures belong to an earlier model or plan; remove channels again for the "
                + "current one." : "");
        staleNote.setVisible(stale);
        staleNote.setManaged(stale);
    }

    private void show(StructureService.Report r) {
        table.getChildren().clear();
        layers.show(r);
        refresh();
        if (r == null) {
            Label empty = new Label("Not measured yet. Set channel granularity in the plan, then \"Remove channels "
                    + "and measure\"; the model in use does not change until you continue with the smaller one.");
            empty.setWrapText(true);
            empty.getStyleClass().add("muted");
            table.add(empty, 0, 0);
            kept.setText("");
            return;
        }
        String[] head = {"", "Unchanged", "Channels removed", "Change", ""};
        Label imagesNote = new Label("accuracy on " + r.images() + " validation images, no fine-tuning yet");
        imagesNote.getStyleClass().add("muted");
        table.add(imagesNote, 0, 6, 5, 1);
        for (int c = 0; c < head.length; c++) {
            Label h = new Label(head[c]);
            h.getStyleClass().add("fact-name");
            h.setMinWidth(Region.USE_PREF_SIZE);
            table.add(h, c, 0);
        }
        row(1, "Validation top-1", Formats.percent(r.denseTop1(), 2), Formats.percent(r.prunedTop1(), 2),
                Formats.points(r.prunedTop1() - r.denseTop1()), "measured",
                "Both on the same " + r.images() + " validation images (higher is better); the smaller network "
                        + "includes the plan's other settings, before any fine-tuning, "
                        + (r.plan().batchNormImages() > 0 ? "with BatchNorm calibrated on "
                        + r.plan().batchNormImages() + " training images (the plan's setting)"
                        : "without BatchNorm calibration"), "top1");
        row(2, "Latency, batch 1", ms(r.batch1().first()), ms(r.batch1().second()), speedup(r.batch1().speedup()),
                "measured", timing(r.batch1().first()), "b1");
        row(3, "Latency, batch 64", ms(r.batch64().first()), ms(r.batch64().second()), speedup(r.batch64().speedup()),
                "measured", timing(r.batch64().first()), "b64");
        row(4, "Parameters", Formats.count(r.before().totalParams()), Formats.count(r.after().totalParams()),
                ratio(r.before().totalParams(), r.after().totalParams()), "computed", "Counted in the networks", "params");
        row(5, "MACs per image", Formats.shortCount(r.before().macs()), Formats.shortCount(r.after().macs()),
                ratio(r.before().macs(), r.after().macs()), "computed", "Dense multiply-accumulates of the networks",
                "macs");
        StringBuilder k = new StringBuilder("Kept channels: ");
        r.kept().forEach((name, v) -> k.append(name).append(' ').append(v).append(", "));
        k.setLength(k.length() - 2);
        for (String n : r.notes()) {
            k.append("\n").append(n);
        }
        kept.setText(k.toString());
    }

    private void row(int i, String name, String before, String after, String change, String kind, String tip,
                     String id) {
        Label n = new Label(name);
        n.getStyleClass().add("fact-name");
        n.setMinWidth(Region.USE_PREF_SIZE);
        Label a = new Label(after);
        a.setMinWidth(Region.USE_PREF_SIZE);
        a.setId("structure-after-" + id);
        Label b = new Label(before);
        b.setId("structure-before-" + id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        Label c = new Label(change);
        c.setMinWidth(Region.USE_PREF_SIZE);
        Label tag = new Label(kind);
        tag.getStyleClass().addAll("tag", "tag-" + kind);
        tag.setMinWidth(Region.USE_PREF_SIZE);
        tag.setTooltip(new Tooltip(tip));
        table.addRow(i, n, b, a, c, tag);
    }

    private static String ms(LatencyMeter.Latency l) {
        return String.format(Locale.ROOT, "%.2f ms", l.medianMs());
    }

    private static String timing(LatencyMeter.Latency l) {
        return "Median of " + l.repeats() + " calls per model after warm-up, both models alternating in one run on "
                + "this machine (10th–90th percentile of the unchanged model: "
                + String.format(Locale.ROOT, "%.2f–%.2f ms", l.p10Ms(), l.p90Ms()) + ")";
    }

    private static String speedup(double x) {
        return String.format(Locale.ROOT, "%.2f× %s", x >= 1 ? x : 1 / x, x >= 1 ? "faster" : "slower");
    }

    private static String ratio(long before, long after) {
        return String.format(Locale.ROOT, "%.1f%% of before", 100.0 * after / before);
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T v) {
                return v == null ? "" : text.apply(v);
            }

            @Override
            public T fromString(String s) {
                throw new UnsupportedOperationException("choice boxes do not parse text");
            }
        };
    }
}
