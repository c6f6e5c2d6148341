package io.lathe.ui.finetune;

import io.lathe.eval.Intervals;
import io.lathe.model.ModelLoadException;
import io.lathe.session.SparseVsDenseRun;
import io.lathe.session.Workspace;
import io.lathe.train.FineTuneListener;
import io.lathe.train.FineTuneSettings;
import io.lathe.train.SparseVsDense;
import io.lathe.ui.Formats;
import io.lathe.ui.LatestJob;
import io.lathe.ui.WorkbenchModel;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The large-sparse vs small-dense experiment of the Fine-tune tab (Zhu &amp; Gupta): the small dense
 * model to compare with (the bundled ResNet-8 by default), the shared epoch budget, one command that
 * prunes the open model to the small one's non-zero count and fine-tunes both in the background, the
 * points of the accuracy-vs-non-zeros chart as they are measured, per-epoch validation figures of both
 * runs, and a one-line measured conclusion. FX thread; engine figures arrive through {@code fx}.
 */
public final class SparseVsDenseModel {
    /** The bundled small dense model offered by default. */
    public static final String SAMPLE_SMALL = "resnet8-fashion.zip";
    /** Name of the pruned, fine-tuned open model in charts and text. */
    public static final String LARGE = "large-sparse";
    /** Name of the small dense model in charts and text. */
    public static final String SMALL = "small-dense";

    /**
     * One measured chart point.
     *
     * @param role  {@link #LARGE} or {@link #SMALL}
     * @param after false before fine-tuning, true after
     * @param point the engine's figures (test top-1, non-zero weights)
     */
    public record Measured(String role, boolean after, SparseVsDense.Point point) {
    }

    /** The epoch budget read from the form: whole epochs, or one pass over the first {@code limitTrain} images. */
    record Budget(int epochs, int limitTrain, String problem) {
    }

    private final WorkbenchModel wb;
    private final LatestJob<SparseVsDenseRun.Outcome> job;
    private final Path outputDir;
    private final StringProperty smallFile;
    private final StringProperty epochs = new SimpleStringProperty(this, "epochs", "1");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyStringWrapper conclusion = new ReadOnlyStringWrapper(this, "conclusion", "");
    private final ReadOnlyObjectWrapper<SparseVsDenseRun.Outcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private final ObservableList<Measured> points = FXCollections.observableArrayList();
    private final ObservableList<FineTuneListener.EpochRecord> largeEpochs = FXCollections.observableArrayList();
    private final ObservableList<FineTuneListener.EpochRecord> smallEpochs = FXCollections.observableArrayList();

    /**
     * @param wb           the workbench session (its model is the large one)
     * @param fx           hands engine-thread figures to the FX thread
     * @param outputDir    where the JSON record of each experiment is written
     * @param defaultSmall the small dense model offered first (the bundled ResNet-8)
     */
    public SparseVsDenseModel(WorkbenchModel wb, Executor fx, Path outputDir, Path defaultSmall) {
        this.wb = wb;
        this.job = new LatestJob<>(wb.runner(), fx, (action, t) -> {
            if (!isUserError(t)) {
                wb.errors().report(action, t);
            }
        });
        this.outputDir = outputDir;
        this.smallFile = new SimpleStringProperty(this, "smallFile", defaultSmall.toAbsolutePath().normalize().toString());
        job.messageProperty().addListener((o, a, m) -> {
            if (job.isRunning() && !m.isEmpty()) {
                job.setStatus(m + job.etaText());
            }
        });
        wb.workspaceProperty().addListener((o, a, ws) -> {
            job.drop();
            clear();
            validate();
        });
        smallFile.addListener(o -> validate());
        epochs.addListener(o -> validate());
        validate();
    }

    /** Checks the workspace, the small model's file and the budget; sets and returns the problem (null: ready). */
    public String validate() {
        Workspace ws = wb.workspace();
        String p;
        if (ws == null) {
            p = "open a model first: it is the large model that gets pruned";
        } else if (ws.data() == null) {
            p = "open data that fits the model: " + ws.dataProblem();
        } else {
            p = smallProblem(ws);
            if (p == null) {
                p = budget().problem();
            }
        }
        problem.set(p);
        return p;
    }

    private String smallProblem(Workspace ws) {
        String text = smallFile.get() == null ? "" : smallFile.get().trim();
        if (text.isEmpty()) {
            return "choose the small dense model (a DL4J zip), e.g. sample-models/" + SAMPLE_SMALL;
        }
        Path p = Path.of(text);
        if (!Files.isRegularFile(p)) {
            return "the small model " + p + " does not exist: choose a DL4J zip";
        }
        Path origin = Path.of(ws.origin());
        try {
            if (Files.exists(origin) && Files.isSameFile(origin, p)) {
                return "the small model is the open model itself: choose a smaller network, e.g. " + SAMPLE_SMALL;
            }
        } catch (java.io.IOException e) {
            return "cannot read " + p + ": " + e.getMessage();
        }
        return null;
    }

    /** Reads the epoch field: a whole number of epochs, or a fraction below 1 (one pass over that share). */
    Budget budget() {
        String text = epochs.get() == null ? "" : epochs.get().trim();
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return new Budget(0, 0, "Epochs: '" + text + "' is not a number; type e.g. 1, or 0.1 for a tenth of an epoch");
        }
        if (!(v > 0) || v > 100) {
            return new Budget(0, 0, "Epochs must be above 0 and at most 100, e.g. 1, or 0.1 for a tenth of an epoch");
        }
        if (v >= 1) {
            if (v != Math.rint(v)) {
                return new Budget(0, 0, "Epochs above 1 must be whole (e.g. 2); below 1 a fraction such as 0.5 is fine");
            }
            return new Budget((int) v, 0, null);
        }
        int train = wb.workspace() == null || wb.workspace().data() == null ? 0 : wb.workspace().data().train().size();
        int images = (int) Math.round(v * train);
        if (images < FineTuneSettings.defaults().batch()) {
            return new Budget(0, 0, "Epochs " + text + " is fewer images (" + images + ") than one batch of "
                    + FineTuneSettings.defaults().batch() + "; use a larger fraction");
        }
        return new Budget(1, images, null);
    }

    /** What the budget means, in words (empty while it is invalid). */
    public String budgetNote() {
        Budget b = budget();
        if (b.problem() != null || wb.workspace() == null || wb.workspace().data() == null) {
            return "";
        }
        int train = wb.workspace().data().train().size();
        int images = b.limitTrain() > 0 ? b.limitTrain() : train;
        return (b.limitTrain() > 0 ? "one pass over the first " + Formats.count(images) + " of "
                + Formats.count(train) + " training images" : b.epochs() + " × " + Formats.count(train) + " training images")
                + ", the same for both models";
    }

    /** Prunable weights of the open model (the large one). */
    public long largeWeights() {
        Workspace ws = wb.workspace();
        return ws == null ? 0 : ws.stats(ws.emptyPlan()).weightParams();
    }

    /**
     * Upper estimate of the duration in seconds: both models timed at the open model's measured
     * inference speed, training at three times inference per image, one validation pass per epoch
     * each, and four test passes. NaN until the baseline is measured or while the budget is invalid.
     */
    public double estimatedSeconds() {
        Workspace ws = wb.workspace();
        Budget b = budget();
        if (ws == null || ws.data() == null || ws.baseline() == null || b.problem() != null
                || ws.baseline().images() == 0) {
            return Double.NaN;
        }
        double perImage = ws.baseline().seconds() / ws.baseline().images();
        int train = b.limitTrain() > 0 ? b.limitTrain() : ws.data().train().size();
        double each = (double) train * b.epochs() * perImage * 3 + (double) ws.data().validation().size() * b.epochs() * perImage;
        return 2 * each + 4.0 * ws.data().test().size() * perImage;
    }

    /** Starts the experiment in the background; returns the problem instead when it cannot start. */
    public String start() {
        if (job.isRunning()) {
            return "the experiment is already running";
        }
        String p = validate();
        if (p != null) {
            return p;
        }
        Workspace ws = wb.workspace();
        Budget b = budget();
        FineTuneSettings s = FineTuneSettings.defaults().withBudget(b.epochs(), FineTuneSettings.defaults().batch(),
                FineTuneSettings.defaults().learningRate(), b.limitTrain());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = outputDir.resolve(ws.modelName() + "-sparse-vs-dense-" + stamp + ".json");
        clear();
        int perRun = b.epochs();
        Consumer<FineTuneListener.EpochRecord> largeEpoch = job.each(largeEpochs::add);
        Consumer<FineTuneListener.EpochRecord> smallEpoch = job.each(smallEpochs::add);
        Consumer<SparseVsDense.Point> point = job.each(this::addPoint);
        SparseVsDenseRun run = new SparseVsDenseRun(ws, Path.of(smallFile.get().trim()), s, out, new FineTuneListener() {
            private int seen;

            @Override
            public void epochDone(EpochRecord r) {
                (seen++ < perRun ? largeEpoch : smallEpoch).accept(r);
            }
        }, point);
        job.start("Large-sparse vs small-dense", run::run, this::finished,
                t -> job.setStatus("Stopped: " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())),
                () -> job.setStatus("cancelled; the loaded model is unchanged"));
        return null;
    }

    /** Stops the experiment; the loaded model stays as it was. */
    public void cancel() {
        job.cancel();
    }

    private static boolean isUserError(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof ModelLoadException;
    }

    private void addPoint(SparseVsDense.Point p) {
        int i = points.size();
        points.add(new Measured(i % 2 == 0 ? LARGE : SMALL, i >= 2, p));
    }

    private void finished(SparseVsDenseRun.Outcome o) {
        outcome.set(o);
        conclusion.set(conclusion(o));
        job.setStatus("done in " + Formats.duration(o.result().wallSeconds()) + "; record written to " + o.recordFile());
    }

    /**
     * The measured conclusion: both fine-tuned models' test top-1 at their non-zero counts, the gap, and
     * whether it exceeds the 95% margin of a difference of two accuracies on that many test images.
     */
    static String conclusion(SparseVsDenseRun.Outcome o) {
        List<SparseVsDense.Point> pts = o.result().points();
        SparseVsDense.Point large = pts.get(2);
        SparseVsDense.Point small = pts.get(3);
        double gap = large.testTop1() - small.testTop1();
        int n = o.testImages();
        double margin = Math.hypot(Intervals.wilsonHalfWidth(large.testTop1(), n),
                Intervals.wilsonHalfWidth(small.testTop1(), n));
        String verdict = Math.abs(gap) <= margin ? "within the ±" + String.format(Locale.ROOT, "%.2f", 100 * margin)
                + "-point 95% margin: no clear winner at this budget"
                : (gap > 0 ? LARGE : SMALL) + " ahead, beyond the ±" + String.format(Locale.ROOT, "%.2f", 100 * margin)
                + "-point 95% margin";
        return String.format(Locale.ROOT, "%s %.2f%% at %s non-zeros vs %s %.2f%% at %s non-zeros: %s (%s; test top-1 on %s images, "
                        + "measured)", LARGE, 100 * large.testTop1(), Formats.shortCount(large.nonZeroWeights()), SMALL,
                100 * small.testTop1(), Formats.shortCount(small.nonZeroWeights()), Formats.points(gap), verdict,
                Formats.count(n));
    }

    private void clear() {
        points.clear();
        largeEpochs.clear();
        smallEpochs.clear();
        outcome.set(null);
        conclusion.set("");
        job.setStatus("");
    }

    /** Path of the small dense model (typed or chosen). */
    public StringProperty smallFileProperty() {
        return smallFile;
    }

    /** Epochs for each model: whole, or a fraction below 1. */
    public StringProperty epochsProperty() {
        return epochs;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Where the experiment is. */
    public ReadOnlyObjectProperty<LatestJob.State> stateProperty() {
        return job.stateProperty();
    }

    public ReadOnlyDoubleProperty fractionProperty() {
        return job.fractionProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return job.statusProperty();
    }

    /** The one-line measured conclusion (empty until the experiment is done). */
    public ReadOnlyStringProperty conclusionProperty() {
        return conclusion.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SparseVsDenseRun.Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    /** Chart points in the order measured: large before, small before, large after, small after. */
    public ObservableList<Measured> points() {
        return points;
    }

    /** Per-epoch validation figures of the large model's fine-tune. */
    public ObservableList<FineTuneListener.EpochRecord> largeEpochs() {
        return largeEpochs;
    }

    /** Per-epoch validation figures of the small model's fine-tune. */
    public ObservableList<FineTuneListener.EpochRecord> smallEpochs() {
        return smallEpochs;
    }

    public WorkbenchModel workbench() {
        return wb;
    }
}
