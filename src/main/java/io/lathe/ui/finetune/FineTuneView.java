package io.lathe.ui.finetune;

import io.lathe.train.FineTuneListener;
import io.lathe.ui.Charts;
import io.lathe.ui.Formats;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.beans.property.StringProperty;

import java.util.Locale;

/**
 * The Fine-tune tab: settings with the schedule curve and expected duration (before the start),
 * Start/Pause/Resume/Cancel, live charts of loss, validation accuracy per epoch (baseline line) and
 * sparsity, and the result with "Open fine-tuned model". Lays out and binds only.
 */
public final class FineTuneView extends BorderPane {
    private final FineTuneModel model;
    private final FineTuneCharts.Line schedule = new FineTuneCharts.Line("Pruning schedule (planned)",
            "epoch", "global sparsity (%)", Charts.AMBER, false, "finetune-schedule-chart");
    private final FineTuneCharts.Line loss = new FineTuneCharts.Line("Training loss per step — lower is better",
            "step", "loss", Charts.BLUE, false, "finetune-loss-chart");
    private final FineTuneCharts.Line accuracy = new FineTuneCharts.Line("Validation top-1 per epoch — higher is better",
            "epoch", "validation top-1 (%)", Charts.GREEN, true, "finetune-accuracy-chart");
    private final Label estimate = new Label();

    public FineTuneView(FineTuneModel model) {
        this.model = model;
        getStyleClass().add("tab-body");
        setId("finetune-view");
        VBox left = new VBox(8, settings(), schedule.node(), estimate, buttons());
        left.setPrefWidth(360);
        estimate.getStyleClass().add("muted");
        estimate.setWrapText(true);
        estimate.setId("finetune-estimate");
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        setLeft(leftScroll);
        VBox right = new VBox(6, live(), loss.node(), accuracy.node(), result());
        VBox.setVgrow(loss.node(), Priority.ALWAYS);
        VBox.setVgrow(accuracy.node(), Priority.ALWAYS);
        right.setPadding(new Insets(0, 0, 0, 10));
        setCenter(right);
        FineTuneForm f = model.form();
        for (var p : new javafx.beans.Observable[]{f.epochsProperty(), f.learningRateProperty(), f.gradualProperty(),
                f.startEpochProperty(), f.endEpochProperty(), f.frequencyProperty(), f.qatProperty(), f.distillProperty(),
                f.alphaProperty(), f.temperatureProperty(), model.workbench().workspaceProperty(),
                model.workbench().editor().planProperty(), model.workbench().baselineProperty()}) {
            p.addListener(o -> refreshPlan());
        }
        model.losses().addListener((ListChangeListener<double[]>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && model.losses().isEmpty()) {
                    loss.clear();
                }
                if (c.wasAdded()) {
                    loss.addAll(c.getAddedSubList());
                }
            }
        });
        model.epochs().addListener((ListChangeListener<FineTuneListener.EpochRecord>) c -> redrawAccuracy());
        refreshPlan();
    }

    private GridPane settings() {
        FineTuneForm f = model.form();
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        int r = 0;
        Label title = new Label("Settings");
        title.getStyleClass().add("pane-title");
        g.add(title, 0, r++, 2, 1);
        r = field(g, r, "Epochs", f.epochsProperty(), "Passes over the train split (never validation or test)", "finetune-epochs");
        r = field(g, r, "Learning rate", f.learningRateProperty(), "Adam's starting rate; ×0.3 at 50%, ×0.1 at 75%, "
                + "×0.03 at 90% of the steps", "finetune-lr");
        CheckBox gradual = new CheckBox("Gradual pruning (Zhu & Gupta schedule)");
        gradual.selectedProperty().bindBidirectional(f.gradualProperty());
        gradual.setTooltip(new Tooltip("Raise sparsity from 0 to the plan's targets between start and end; off: "
                + "prune to the targets at the first step"));
        g.add(gradual, 0, r++, 2, 1);
        int first = r;
        r = field(g, r, "Start (epoch)", f.startEpochProperty(), "When pruning starts, in epochs (decimals allowed)", "finetune-start");
        r = field(g, r, "End (epoch)", f.endEpochProperty(), "When the plan's targets are reached, in epochs", "finetune-end");
        r = field(g, r, "Every (steps)", f.frequencyProperty(), "Steps between two mask updates", "finetune-frequency");
        g.getChildren().stream().filter(n -> GridPane.getRowIndex(n) != null && GridPane.getRowIndex(n) >= first)
                .forEach(n -> n.disableProperty().bind(f.gradualProperty().not()));
        CheckBox qat = new CheckBox("Quantization-aware training (the plan's bits)");
        qat.selectedProperty().bindBidirectional(f.qatProperty());
        qat.setTooltip(new Tooltip("Forward passes see the quantized weights (straight-through estimator)"));
        g.add(qat, 0, r++, 2, 1);
        CheckBox distill = new CheckBox("Distil from the unchanged model");
        distill.selectedProperty().bindBidirectional(f.distillProperty());
        distill.setTooltip(new Tooltip("loss = α·KL(teacher/T, student/T)·T² + (1 − α)·cross-entropy"));
        g.add(distill, 0, r++, 2, 1);
        int dFirst = r;
        r = field(g, r, "α", f.alphaProperty(), "Weight of the distillation term, 0–1", "finetune-alpha");
        field(g, r, "Temperature T", f.temperatureProperty(), "Softmax temperature, > 0", "finetune-temperature");
        g.getChildren().stream().filter(n -> GridPane.getRowIndex(n) != null && GridPane.getRowIndex(n) >= dFirst)
                .forEach(n -> n.disableProperty().bind(f.distillProperty().not()));
        return g;
    }

    private static int field(GridPane g, int row, String label, StringProperty p, String tip, String id) {
        TextField t = new TextField();
        t.textProperty().bindBidirectional(p);
        t.setPrefColumnCount(7);
        t.setTooltip(new Tooltip(tip));
        t.setId(id);
        g.add(new Label(label), 0, row);
        g.add(t, 1, row);
        return row + 1;
    }

    private HBox buttons() {
        Button start = new Button("Start fine-tuning");
        start.getStyleClass().add("primary");
        start.setId("finetune-start-button");
        Label problem = new Label();
        problem.setWrapText(true);
        problem.setId("finetune-problem");
        problem.setStyle("-fx-text-fill: #b03030;");
        start.setOnAction(e -> model.start());
        Button pause = new Button("Pause");
        pause.setOnAction(e -> model.pause());
        Button resume = new Button("Resume");
        resume.setOnAction(e -> model.resume());
        Button cancel = new Button("Cancel");
        cancel.setId("finetune-cancel");
        cancel.setOnAction(e -> model.cancel());
        var st = model.stateProperty();
        var active = Bindings.createBooleanBinding(() -> st.get() == FineTuneModel.State.RUNNING
                || st.get() == FineTuneModel.State.PAUSED, st);
        start.disableProperty().bind(active.or(model.problemProperty().isNotNull()));
        pause.disableProperty().bind(st.isNotEqualTo(FineTuneModel.State.RUNNING));
        resume.disableProperty().bind(st.isNotEqualTo(FineTuneModel.State.PAUSED));
        cancel.disableProperty().bind(active.not());
        problem.textProperty().bind(model.problemProperty().map(p -> "Cannot start: " + p).orElse(""));
        HBox row = new HBox(6, start, pause, resume, cancel);
        VBox box = new VBox(4, row, problem);
        return new HBox(box);
    }

    private VBox live() {
        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(model.fractionProperty());
        bar.setPrefWidth(120);
        Label sparsity = new Label();
        sparsity.setId("finetune-sparsity");
        sparsity.textProperty().bind(model.sparsityProperty().map(s -> Double.isNaN(s.doubleValue()) ? "sparsity —"
                : "current sparsity " + Formats.percent(s.doubleValue(), 1) + " (measured)"));
        Label status = new Label();
        status.textProperty().bind(model.statusProperty());
        status.getStyleClass().add("muted");
        status.setId("finetune-status");
        status.setWrapText(true);
        HBox row = new HBox(10, bar, sparsity);
        row.setAlignment(Pos.CENTER_LEFT);
        return new VBox(4, row, status);
    }

    private VBox result() {
        Label text = new Label();
        text.setWrapText(true);
        text.setId("finetune-result");
        Button open = new Button("Open fine-tuned model");
        open.getStyleClass().add("primary");
        open.setId("finetune-open-result");
        open.setTooltip(new Tooltip("Make the fine-tuned model the workspace's model (its plan file lies beside it)"));
        open.setOnAction(e -> model.openResult());
        open.visibleProperty().bind(model.outcomeProperty().isNotNull());
        text.textProperty().bind(Bindings.createStringBinding(() -> {
            var o = model.outcomeProperty().get();
            if (o == null) {
                return model.stateProperty().get() == FineTuneModel.State.IDLE ? "Set the epochs and schedule, then "
                        + "Start: the current plan's model is retrained with its masks kept; the loaded model stays as it is."
                        : "";
            }
            return String.format(Locale.ROOT, "Fine-tuned: test top-1 %.2f%% vs %.2f%% unchanged (%s, measured), "
                            + "validation %.2f%% at epoch %d, sparsity %.1f%%, %s. Wrote %s, %s and the run record %s.",
                    100 * o.testTop1(), 100 * o.denseTestTop1(), Formats.points(o.testTop1() - o.denseTestTop1()),
                    100 * o.validationTop1(), o.bestEpoch(), 100 * o.sparsity(), Formats.duration(o.wallSeconds()),
                    o.modelFile(), o.planFile().getFileName(), o.recordFile().getFileName());
        }, model.outcomeProperty(), model.stateProperty()));
        return new VBox(6, text, open);
    }

    private void refreshPlan() {
        model.validate();
        schedule.set(model.scheduleCurve().stream().map(p -> new double[]{p[0], 100 * p[1]}).toList());
        double s = model.estimatedSeconds();
        int per = model.stepsPerEpoch();
        estimate.setText(per == 0 ? "" : per + " steps per epoch (batch 128), target sparsity "
                + Formats.percent(model.targetSparsity(), 1) + " from the current plan. "
                + (Double.isNaN(s) ? "Duration estimate after the baseline is measured."
                : "Expected duration about " + Formats.duration(s) + " (estimate from the measured inference speed; "
                + "training ≈ 3× inference per image)."));
        redrawAccuracy();
    }

    private void redrawAccuracy() {
        accuracy.set(model.epochs().stream().map(r -> new double[]{r.epoch(), 100 * r.validationTop1()}).toList());
        double b = model.baselineTop1();
        accuracy.marker(100 * b, Double.isNaN(b) ? "" : String.format(Locale.ROOT, "unchanged model %.2f%%", 100 * b),
                Charts.GREY);
        accuracy.include(100 * b);
    }
}
