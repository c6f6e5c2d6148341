package io.lathe.ui.finetune;

import io.lathe.train.FineTuneListener;
import io.lathe.ui.Charts;
import io.lathe.ui.Formats;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.collections.FXCollections;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
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

import javafx.stage.FileChooser;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Fine-tune tab's main pane: settings (student, schedule, QAT, distillation) with the schedule curve
 * and expected duration (before the start), Start/Pause/Resume/Cancel and Continue-from-checkpoint, live
 * charts of loss, validation accuracy per epoch (baseline line) and sparsity, and the result with "Open
 * fine-tuned model". Lays out and binds only.
 */
final class FineTunePane extends BorderPane {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT);
    private final FineTuneModel model;
    private final FineTuneCharts.Line schedule = new FineTuneCharts.Line("Pruning schedule (planned)",
            "epoch", "global sparsity (%)", Charts.AMBER, false, "finetune-schedule-chart");
    private final FineTuneCharts.Line loss = new FineTuneCharts.Line("Training loss per step — lower is better",
            "step", "loss", Charts.BLUE, false, "finetune-loss-chart");
    private final FineTuneCharts.Line accuracy = new FineTuneCharts.Line("Validation top-1 per epoch — higher is better",
            "epoch", "validation top-1 (%)", Charts.GREEN, true, "finetune-accuracy-chart");
    private final Label estimate = new Label();
    private boolean shown = true;
    private boolean stale;

    FineTunePane(FineTuneModel model) {
        this.model = model;
        getStyleClass().add("tab-body");
        setId("finetune-pane");
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
        var watched = new java.util.ArrayList<>(java.util.List.of(f.fields()));
        watched.addAll(java.util.List.of(model.workbench().workspaceProperty(), model.workbench().editor().planProperty(),
                model.workbench().baselineProperty()));
        for (var p : watched) {
            p.addListener(o -> {
                if (shown) {
                    refreshPlan();
                } else {
                    stale = true;
                }
            });
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
        r = student(g, r);
        r = field(g, r, "Epochs", f.epochsProperty(), "Passes over the train split (never validation or test)", "finetune-epochs");
        r = field(g, r, "Learning rate", f.learningRateProperty(), "Adam's starting rate; ×0.3 at 50%, ×0.1 at 75%, "
                + "×0.03 at 90% of the steps", "finetune-lr");
        Label augmentation = new Label();
        augmentation.setId("finetune-augmentation");
        augmentation.setWrapText(true);
        augmentation.setMaxWidth(240);
        augmentation.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(model::augmentation,
                model.workbench().workspaceProperty()));
        augmentation.setTooltip(new Tooltip("Chosen from the data's format: photos get a random crop with 4-pixel "
                + "padding and a horizontal flip; idx files none (digits change class when flipped); the bundled "
                + "Fashion-MNIST what its sample models were trained with. The CLI's --augment overrides it."));
        g.add(new Label("Augmentation"), 0, r);
        g.add(augmentation, 1, r++);
        var self = f.studentProperty().isEqualTo(FineTuneForm.Student.COMPRESSED);
        CheckBox gradual = new CheckBox("Gradual pruning (Zhu & Gupta schedule)");
        gradual.selectedProperty().bindBidirectional(f.gradualProperty());
        gradual.disableProperty().bind(self.not());
        gradual.setTooltip(new Tooltip("Raise sparsity from 0 to the plan's targets between start and end; off: "
                + "prune to the targets at the first step"));
        g.add(gradual, 0, r++, 2, 1);
        int first = r;
        r = field(g, r, "Start (epoch)", f.startEpochProperty(), "When pruning starts, in epochs (decimals allowed)", "finetune-start");
        r = field(g, r, "End (epoch)", f.endEpochProperty(), "When the plan's targets are reached, in epochs", "finetune-end");
        r = field(g, r, "Every (steps)", f.frequencyProperty(), "Steps between two mask updates", "finetune-frequency");
        g.getChildren().stream().filter(n -> GridPane.getRowIndex(n) != null && GridPane.getRowIndex(n) >= first)
                .forEach(n -> n.disableProperty().bind(f.gradualProperty().not().or(self.not())));
        CheckBox qat = new CheckBox("Quantization-aware training (the plan's bits)");
        qat.selectedProperty().bindBidirectional(f.qatProperty());
        qat.disableProperty().bind(self.not());
        qat.setTooltip(new Tooltip("Forward passes see the quantized weights (straight-through estimator)"));
        g.add(qat, 0, r++, 2, 1);
        CheckBox distill = new CheckBox("Distil from the unchanged model");
        distill.selectedProperty().bindBidirectional(f.distillProperty());
        distill.disableProperty().bind(self.not());
        distill.setTooltip(new Tooltip("loss = α·KL(teacher/T, student/T)·T² + (1 − α)·cross-entropy"));
        g.add(distill, 0, r++, 2, 1);
        int dFirst = r;
        r = field(g, r, "α", f.alphaProperty(), "Weight of the distillation term, 0–1", "finetune-alpha");
        field(g, r, "Temperature T", f.temperatureProperty(), "Softmax temperature, > 0", "finetune-temperature");
        g.getChildren().stream().filter(n -> GridPane.getRowIndex(n) != null && GridPane.getRowIndex(n) >= dFirst)
                .forEach(n -> n.disableProperty().bind(f.distillProperty().not().and(self)));
        return g;
    }

    /** The student choice: the compressed model itself, a fresh ResNet-8, or a zip (with Choose…). */
    private int student(GridPane g, int row) {
        FineTuneForm f = model.form();
        ChoiceBox<FineTuneForm.Student> choice = new ChoiceBox<>(FXCollections.observableArrayList(
                FineTuneForm.Student.values()));
        choice.valueProperty().bindBidirectional(f.studentProperty());
        choice.setId("finetune-student");
        choice.setTooltip(new Tooltip("Which network is trained. A different, smaller network learns from the "
                + "unchanged model (distillation on; the plan, schedule and QAT do not apply)"));
        g.add(new Label("Train"), 0, row);
        g.add(choice, 1, row++);
        TextField file = new TextField();
        file.textProperty().bindBidirectional(f.studentFileProperty());
        file.setPromptText("student .zip");
        file.setPrefColumnCount(12);
        file.setId("finetune-student-file");
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Student model (DL4J zip)");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("DL4J model zip", "*.zip"));
            var picked = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
            if (picked != null) {
                f.studentFileProperty().set(picked.getAbsolutePath());
            }
        });
        HBox fileRow = new HBox(4, file, choose);
        var isFile = f.studentProperty().isEqualTo(FineTuneForm.Student.FILE);
        fileRow.visibleProperty().bind(isFile);
        fileRow.managedProperty().bind(isFile);
        g.add(fileRow, 0, row++, 2, 1);
        Label note = new Label("The student learns from the unchanged model (distillation with α and T below); "
                + "the plan, schedule and QAT do not apply.");
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        note.setMaxWidth(340);
        var other = f.studentProperty().isNotEqualTo(FineTuneForm.Student.COMPRESSED);
        note.visibleProperty().bind(other);
        note.managedProperty().bind(other);
        g.add(note, 0, row++, 2, 1);
        return row;
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
        Button resumeCheckpoint = new Button("Continue from checkpoint");
        resumeCheckpoint.setId("finetune-continue");
        resumeCheckpoint.setOnAction(e -> model.resumeFromCheckpoint());
        Label saved = new Label();
        saved.setWrapText(true);
        saved.getStyleClass().add("muted");
        saved.setId("finetune-checkpoint");
        saved.textProperty().bind(model.checkpointProperty().map(c -> String.format(Locale.ROOT,
                "A run of these settings stopped at step %,d of %,d (%d epoch%s done, saved %s). Continue picks up "
                        + "there; Start begins again.", c.step(), c.totalSteps(), c.history().size(),
                c.history().size() == 1 ? "" : "s", WHEN.format(c.written().atZone(ZoneId.systemDefault())))).orElse(""));
        var hasCheckpoint = model.checkpointProperty().isNotNull();
        resumeCheckpoint.visibleProperty().bind(hasCheckpoint);
        resumeCheckpoint.managedProperty().bind(hasCheckpoint);
        saved.visibleProperty().bind(hasCheckpoint);
        saved.managedProperty().bind(hasCheckpoint);
        var st = model.stateProperty();
        var active = Bindings.createBooleanBinding(() -> st.get() == FineTuneModel.State.RUNNING
                || st.get() == FineTuneModel.State.PAUSED, st);
        start.disableProperty().bind(active.or(model.problemProperty().isNotNull()));
        pause.disableProperty().bind(st.isNotEqualTo(FineTuneModel.State.RUNNING));
        resume.disableProperty().bind(st.isNotEqualTo(FineTuneModel.State.PAUSED));
        cancel.disableProperty().bind(active.not());
        problem.textProperty().bind(model.problemProperty().map(p -> "Cannot start: " + p).orElse(""));
        resumeCheckpoint.disableProperty().bind(active.or(model.problemProperty().isNotNull()));
        HBox row = new HBox(6, start, pause, resume, cancel);
        VBox box = new VBox(4, row, saved, resumeCheckpoint, problem);
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
        javafx.scene.control.TextArea log = new javafx.scene.control.TextArea();
        log.setId("finetune-worker-log");
        log.setEditable(false);
        log.setPrefRowCount(8);
        log.setStyle("-fx-font-family: monospace;");
        log.textProperty().bind(model.workerLogProperty());
        log.visibleProperty().bind(model.workerLogProperty().isNotEmpty());
        log.managedProperty().bind(log.visibleProperty());
        return new VBox(4, row, status, log);
    }

    private VBox result() {
        Label text = new Label();
        text.setWrapText(true);
        text.setId("finetune-result");
        Button open = new Button();
        open.textProperty().bind(model.outcomeProperty().map(o -> o.student() == null ? "Open fine-tuned model"
                : "Open the trained student").orElse("Open fine-tuned model"));
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
            return String.format(Locale.ROOT, "%s: test top-1 %.2f%% vs %.2f%% unchanged (%s, measured), "
                            + "validation %.2f%% at epoch %d, sparsity %.1f%%, %s. Wrote %s, %s and the run record %s.",
                    o.student() == null ? "Fine-tuned" : "Student " + o.student() + " trained from the unchanged model",
                    100 * o.testTop1(), 100 * o.denseTestTop1(), Formats.points(o.testTop1() - o.denseTestTop1()),
                    100 * o.validationTop1(), o.bestEpoch(), 100 * o.sparsity(), Formats.duration(o.wallSeconds()),
                    o.modelFile(), o.planFile().getFileName(), o.recordFile().getFileName());
        }, model.outcomeProperty(), model.stateProperty()));
        return new VBox(6, text, open);
    }

    /**
     * Says whether the pane is on screen. While it is not, changes only mark the schedule and estimate
     * stale: they need the plan's exact figures, which mask every layer, and a slider drag changes the
     * plan at every step. Shown again, the pane catches up. FX thread.
     */
    void setShown(boolean on) {
        shown = on;
        if (on && stale) {
            refreshPlan();
        }
    }

    private void refreshPlan() {
        stale = false;
        model.validate();
        schedule.set(model.scheduleCurve().stream().map(p -> new double[]{p[0], 100 * p[1]}).toList());
        double s = model.estimatedSeconds();
        int per = model.stepsPerEpoch();
        boolean self = model.form().studentProperty().get() == FineTuneForm.Student.COMPRESSED;
        estimate.setText(per == 0 ? "" : per + " steps per epoch (batch 128), " + (self ? "target sparsity "
                + Formats.percent(model.targetSparsity(), 1) + " from the current plan. "
                : "the student is trained dense from the unchanged model (the plan does not apply). ")
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
