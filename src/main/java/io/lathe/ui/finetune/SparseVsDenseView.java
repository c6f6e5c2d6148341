package io.lathe.ui.finetune;

import io.lathe.data.AppHome;
import io.lathe.train.FineTuneListener;
import io.lathe.ui.Formats;
import io.lathe.ui.LatestJob;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;
import java.nio.file.Path;

/**
 * The large-sparse vs small-dense experiment: the small model and the shared budget, Run/Cancel with
 * progress, the accuracy-vs-non-zeros chart filling in as points are measured, validation per epoch of
 * both fine-tunes, and the measured conclusion. Lays out and binds only.
 */
final class SparseVsDenseView extends BorderPane {
    private final SparseVsDenseModel model;
    private final SparseVsDenseCharts.Pair accuracy = SparseVsDenseCharts.accuracyVsNonZeros();
    private final SparseVsDenseCharts.Pair perEpoch = SparseVsDenseCharts.validationPerEpoch();
    private final Label info = new Label();

    SparseVsDenseView(SparseVsDenseModel model) {
        this.model = model;
        getStyleClass().add("tab-body");
        setId("svd-view");
        info.setWrapText(true);
        info.getStyleClass().add("muted");
        info.setId("svd-info");
        accuracy.node().setPrefHeight(320);
        accuracy.node().setMinHeight(240);
        perEpoch.node().setPrefHeight(200);
        perEpoch.node().setMinHeight(160);
        VBox content = new VBox(8, intro(), settings(), problem(), info, live(), conclusion(), accuracy.node(),
                perEpoch.node());
        content.setPadding(new Insets(0, 6, 6, 0));
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        setCenter(scroll);
        model.points().addListener((ListChangeListener<SparseVsDenseModel.Measured>) c -> redrawPoints());
        model.largeEpochs().addListener((ListChangeListener<FineTuneListener.EpochRecord>) c ->
                perEpoch.set(true, SparseVsDenseCharts.epochs(model.largeEpochs())));
        model.smallEpochs().addListener((ListChangeListener<FineTuneListener.EpochRecord>) c ->
                perEpoch.set(false, SparseVsDenseCharts.epochs(model.smallEpochs())));
        for (var p : new javafx.beans.Observable[]{model.smallFileProperty(), model.epochsProperty(),
                model.workbench().workspaceProperty(), model.workbench().baselineProperty()}) {
            p.addListener(o -> refreshInfo());
        }
        refreshInfo();
        redrawPoints();
    }

    private VBox intro() {
        Label title = new Label("Large-sparse vs small-dense");
        title.getStyleClass().add("pane-title");
        Label text = new Label("Zhu & Gupta's test on your model and data: the open model is pruned (gradually, "
                + "Erdős–Rényi-kernel split) to the small model's number of non-zero weights, both are fine-tuned with "
                + "the same budget, and their test accuracy is compared. The loaded model stays as it is.");
        text.setWrapText(true);
        return new VBox(4, title, text);
    }

    private GridPane settings() {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        TextField small = new TextField();
        small.textProperty().bindBidirectional(model.smallFileProperty());
        small.setPrefColumnCount(14);
        small.setId("svd-small-file");
        small.setTooltip(new Tooltip("The small dense model (DL4J zip) for the same images and classes"));
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> choose());
        Button bundled = new Button("Bundled ResNet-8");
        bundled.setTooltip(new Tooltip("sample-models/" + SparseVsDenseModel.SAMPLE_SMALL));
        bundled.setOnAction(e -> model.smallFileProperty().set(
                AppHome.sampleModel(SparseVsDenseModel.SAMPLE_SMALL).toAbsolutePath().normalize().toString()));
        g.add(new Label("Small dense model"), 0, 0);
        g.add(small, 1, 0);
        GridPane.setHgrow(small, Priority.ALWAYS);
        g.add(new HBox(4, choose, bundled), 2, 0);
        TextField epochs = new TextField();
        epochs.textProperty().bindBidirectional(model.epochsProperty());
        epochs.setPrefColumnCount(6);
        epochs.setMaxWidth(Region.USE_PREF_SIZE);
        epochs.setId("svd-epochs");
        epochs.setTooltip(new Tooltip("Fine-tuning epochs for each model: whole epochs, or a fraction below 1 "
                + "(one pass over that share of the train split)"));
        g.add(new Label("Epochs each"), 0, 1);
        g.add(epochs, 1, 1);
        g.add(buttons(), 2, 1);
        return g;
    }

    private void choose() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Small dense model (DL4J zip)");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("DL4J model zip", "*.zip"));
        String current = model.smallFileProperty().get();
        if (current != null && !current.isBlank()) {
            File dir = Path.of(current).toAbsolutePath().getParent().toFile();
            if (dir.isDirectory()) {
                fc.setInitialDirectory(dir);
            }
        }
        File picked = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (picked != null) {
            model.smallFileProperty().set(picked.getAbsolutePath());
        }
    }

    private HBox buttons() {
        Button run = new Button("Run the comparison");
        run.getStyleClass().add("primary");
        run.setId("svd-run");
        run.setOnAction(e -> model.start());
        Button cancel = new Button("Cancel");
        cancel.setId("svd-cancel");
        cancel.setOnAction(e -> model.cancel());
        var running = model.stateProperty().isEqualTo(LatestJob.State.RUNNING);
        run.disableProperty().bind(running.or(model.problemProperty().isNotNull()));
        cancel.disableProperty().bind(running.not());
        return new HBox(6, run, cancel);
    }

    private Label problem() {
        Label problem = new Label();
        problem.setWrapText(true);
        problem.setId("svd-problem");
        problem.setStyle("-fx-text-fill: #b03030;");
        problem.textProperty().bind(model.problemProperty().map(p -> "Cannot start: " + p).orElse(""));
        problem.managedProperty().bind(model.problemProperty().isNotNull());
        return problem;
    }

    private VBox live() {
        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(model.fractionProperty());
        bar.setPrefWidth(160);
        Label status = new Label();
        status.textProperty().bind(model.statusProperty());
        status.getStyleClass().add("muted");
        status.setWrapText(true);
        status.setId("svd-status");
        HBox row = new HBox(10, bar, status);
        row.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(status, Priority.ALWAYS);
        row.visibleProperty().bind(model.stateProperty().isNotEqualTo(LatestJob.State.IDLE));
        row.managedProperty().bind(row.visibleProperty());
        return new VBox(4, row);
    }

    private Label conclusion() {
        Label text = new Label();
        text.setWrapText(true);
        text.setId("svd-conclusion");
        text.setStyle("-fx-font-weight: bold;");
        text.textProperty().bind(Bindings.createStringBinding(() -> {
            String c = model.conclusionProperty().get();
            if (!c.isEmpty()) {
                return c;
            }
            return model.stateProperty().get() == LatestJob.State.IDLE ? "Pick the small model and the "
                    + "epochs, then Run: the chart fills in as each model is measured." : "";
        }, model.conclusionProperty(), model.stateProperty()));
        return text;
    }

    private void refreshInfo() {
        model.validate();
        long weights = model.largeWeights();
        double s = model.estimatedSeconds();
        String note = model.budgetNote();
        info.setText(weights == 0 ? "" : "Open model: " + Formats.count(weights) + " prunable weights (measured). "
                + (note.isEmpty() ? "" : "Budget: " + note + ". ")
                + (Double.isNaN(s) ? "" : "Expected duration at most about " + Formats.duration(s)
                + " (estimate: both models timed at the open model's measured inference speed, training ≈ 3× inference)."));
    }

    private void redrawPoints() {
        var pts = model.points();
        accuracy.set(true, pts.stream().filter(m -> SparseVsDenseModel.LARGE.equals(m.role()))
                .map(m -> new double[]{m.point().nonZeroWeights(), 100 * m.point().testTop1()}).toList());
        accuracy.set(false, pts.stream().filter(m -> SparseVsDenseModel.SMALL.equals(m.role()))
                .map(m -> new double[]{m.point().nonZeroWeights(), 100 * m.point().testTop1()}).toList());
        SparseVsDenseCharts.label(accuracy.plot(), pts);
        var largeBefore = pts.stream().filter(m -> SparseVsDenseModel.LARGE.equals(m.role()) && !m.after()).findFirst();
        var smallBefore = pts.stream().filter(m -> SparseVsDenseModel.SMALL.equals(m.role()) && !m.after()).findFirst();
        SparseVsDenseCharts.markers(accuracy.plot(),
                largeBefore.map(m -> 100 * m.point().testTop1()).orElse(Double.NaN),
                largeBefore.map(m -> String.format(java.util.Locale.ROOT, "open model unchanged %.2f%%",
                        100 * m.point().testTop1())).orElse(""),
                smallBefore.map(m -> (double) m.point().nonZeroWeights()).orElse(Double.NaN),
                smallBefore.map(m -> "equal non-zeros " + Formats.shortCount(m.point().nonZeroWeights())).orElse(""));
    }
}
