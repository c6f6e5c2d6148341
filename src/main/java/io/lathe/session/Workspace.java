package io.lathe.session;

import io.lathe.compress.CompressedModel;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PlanException;
import io.lathe.compress.PlanJson;
import io.lathe.data.ClassCount;
import io.lathe.data.DataLoader;
import io.lathe.data.DataRequest;
import io.lathe.model.ModelSidecar;
import io.lathe.data.DataSplits;
import io.lathe.data.Preprocessing;
import io.lathe.model.ModelPreprocessingStore;
import io.lathe.data.LabeledImages;
import io.lathe.data.Split;
import io.lathe.eval.BnReestimator;
import io.lathe.eval.Evaluation;
import io.lathe.eval.Evaluator;
import io.lathe.eval.LatencyMeter;
import io.lathe.eval.PreviewEngine;
import io.lathe.eval.PreviewUpdate;
import io.lathe.job.Progress;
import io.lathe.model.ModelLoadException;
import io.lathe.structure.StructuredCompressor;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An opened model with its data, as the workbench works on it: the layer tree, the plan applier, the
 * preview engine, the original weights and the measured baseline, behind methods that take and return
 * plain Lathe types (no DL4J). Methods that run the network ({@link #preview}, {@link #evaluate},
 * {@link #latency}) and the factories must run on the engine thread; {@link #tree()},
 * {@link #weights()}, {@link #stats} and the descriptive accessors are safe from any thread.
 */
public final class Workspace implements AutoCloseable {
    private final LoadedModel model;
    private final LayerTree tree;
    private final PlanApplier applier;
    private final WeightTable weights;
    private final DataSplits data;
    private final String dataProblem;
    private PreviewEngine preview;
    private final RecentStats recentStats = new RecentStats(8);
    private volatile Evaluation baseline;
    private volatile LoadedModel teacher;

    private Workspace(LoadedModel model, LayerTree tree, PlanApplier applier, WeightTable weights, DataSplits data,
                      String dataProblem) {
        this.model = model;
        this.tree = tree;
        this.applier = applier;
        this.weights = weights;
        this.data = dataProblem == null ? data : null;
        this.dataProblem = dataProblem;

    }

    /** Loads data for a model input of {@code chw} scaled x/255; {@code folder} null means the bundled Fashion-MNIST. */
    public static DataSplits loadData(Path folder, int[] chw) throws IOException {
        return DataLoader.load(folder, chw);
    }

    /**
     * Loads data for {@code model}, preprocessed as the model states, its classes matched by name to the
     * model sidecar's {@code "classNames"} when it lists them (as the command line reads it); {@code folder}
     * null: bundled data.
     */
    public static DataSplits loadData(Path folder, LoadedModel model) throws IOException {
        return dataRequest(folder, model).open();
    }

    private static DataRequest dataRequest(Path folder, LoadedModel model) throws IOException {
        return DataRequest.of(folder, model.inputShape(), model.preprocessing(), ModelSidecar.classNames(model.origin()));
    }

    /**
     * Where this workspace's data comes from, as a request names it ({@link DataRequest}): its folder (none
     * for the bundled data), the model's input shape, the data's preprocessing and the sidecar's class names.
     */
    public DataRequest dataRequest() {
        requireData();
        try {
            return DataRequest.of(dataFolder().orElse(null), model.inputShape(), data.preprocessing(),
                    ModelSidecar.classNames(model.origin()));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** True if this workspace holds the model and the data {@code r} names, so it can run {@code r} as it is. */
    public boolean holds(Request<?> r) {
        if (data == null || !r.model().matches(model)) {
            return false;
        }
        DataRequest mine = dataRequest();
        DataRequest theirs = r.data();
        return java.util.Objects.equals(mine.folder(), theirs.folder())
                && java.util.Arrays.equals(mine.inputShape(), theirs.inputShape())
                && mine.preprocessing().equals(theirs.preprocessing())
                && java.util.Arrays.equals(mine.classNames(), theirs.classNames());
    }

    /**
     * Opens a model file with data already loaded (null: the bundled Fashion-MNIST is loaded). Data
     * prepared with another preprocessing than the model states is read again from its folder. Data
     * that does not fit the model is kept out and reported by {@link #dataProblem()}. The baseline is
     * measured separately ({@link #measureBaseline}). Engine thread.
     */
    public static Workspace open(Path modelFile, DataSplits data, Progress progress) throws IOException {
        progress.update(0, "reading " + modelFile.getFileName());
        LoadedModel m = ModelLoader.load(modelFile);
        progress.checkCancelled();
        DataSplits d = data;
        if (d == null) {
            progress.update(0.15, "reading the bundled Fashion-MNIST");
            d = loadData(null, m);
        } else if (!d.preprocessing().equals(m.preprocessing()) && java.nio.file.Files.isDirectory(Path.of(d.source()))) {
            progress.update(0.15, "reading the data again, preprocessed as " + m.preprocessing().name());
            d = loadData(Path.of(d.source()), m);
        }
        return of(m, d, progress.range(0.3, 1));
    }

    /**
     * Opens a model file with its data: {@code dataFolder} when given; else {@code current} when it fits the
     * model's input and classes; else the folder {@code remembered} for this model's SHA-256, when it loads
     * and fits; else the bundled data. Engine thread.
     */
    public static Workspace open(Path modelFile, Path dataFolder, DataSplits current,
                                 Function<String, Optional<Path>> remembered, Progress progress) throws IOException {
        return open(modelFile, dataFolder, null, current, remembered, progress);
    }

    /**
     * As {@link #open(Path, Path, DataSplits, Function, Progress)}, with the preprocessing {@code preprocess}
     * (a preset name or JSON file; null: the model's own) given for the model, and remembered with it.
     */
    public static Workspace open(Path modelFile, Path dataFolder, String preprocess, DataSplits current,
                                 Function<String, Optional<Path>> remembered, Progress progress) throws IOException {
        progress.update(0, "reading " + modelFile.getFileName());
        LoadedModel m = ModelLoader.load(modelFile);
        if (preprocess != null) {
            m = m.withPreprocessing(Preprocessing.parse(preprocess));
            ModelPreprocessingStore.inConfigFolder().save(m.sha256(), m.preprocessing());
        }
        progress.checkCancelled();
        DataSplits d = null;
        if (dataFolder != null) {
            progress.update(0.15, "reading data " + dataFolder.getFileName());
            d = loadData(dataFolder, m);
        } else if (current != null && preprocess == null && fits(m, current)) {
            d = current;
        } else {
            Optional<Path> before = remembered.apply(m.sha256());
            if (before.isPresent()) {
                progress.update(0.15, "reading data " + before.get().getFileName() + " (used with this model before)");
                d = loadIfFits(m, before.get());
            }
        }
        if (d == null) {
            progress.update(0.15, "reading the bundled Fashion-MNIST");
            d = loadData(null, m);
        }
        return of(m, d, progress.range(0.3, 1));
    }

    private static boolean fits(LoadedModel m, DataSplits d) {
        try {
            Evaluator.checkShape(m, d.validation());
            ClassCount.check(m.outputCount(), d);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static DataSplits loadIfFits(LoadedModel m, Path folder) {
        try {
            DataSplits d = loadData(folder, m);
            return fits(m, d) ? d : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Builds a workspace for a loaded model and data (baseline not measured yet). Engine thread. */
    public static Workspace of(LoadedModel model, DataSplits data, Progress progress) {
        progress.update(0, "building the layer tree");
        LayerTree tree = LayerTree.of(model);
        PlanApplier applier = new PlanApplier(model, tree);
        WeightTable weights = WeightTable.of(applier.originals());
        progress.checkCancelled();
        String problem = null;
        try {
            if (data != null) {
                Evaluator.checkShape(model, data.validation());
                ClassCount.check(model.outputCount(), data);
            } else {
                problem = "no data opened: File → Open data";
            }
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        progress.update(1, "layer tree ready");
        return new Workspace(model, tree, applier, weights, data, problem);
    }

    /** Measures (once) and returns the unchanged model's validation accuracy. Engine thread. */
    public Evaluation measureBaseline(Progress progress) {
        requireData();
        if (baseline == null) {
            progress.update(0, "measuring baseline accuracy");
            baseline = Evaluator.evaluate(model.graph(), model, data.validation(), progress);
        }
        return baseline;
    }

    /** The same model with other data (null folder: the bundled data); its baseline is measured anew. */
    public Workspace withData(Path folder, Progress progress) throws IOException {
        progress.update(0, "reading data " + (folder == null ? "(bundled)" : folder.getFileName()));
        DataSplits d = loadData(folder, model);
        Evaluator.checkShape(model, d.validation());
        ClassCount.check(model.outputCount(), d);
        return of(model, d, progress.range(0.3, 1));
    }

    /**
     * The same model under another preprocessing (a preset name or JSON file), with data from {@code folder};
     * the preprocessing is remembered for this model file. Engine thread.
     */
    public Workspace withData(Path folder, String preprocess, Progress progress) throws IOException {
        LoadedModel m = DataProbes.MODEL_OWN.equals(preprocess) ? model
                : model.withPreprocessing(Preprocessing.parse(preprocess));
        progress.update(0, "reading data " + folder.getFileName());
        DataSplits d = loadData(folder, m);
        Evaluator.checkShape(m, d.validation());
        ClassCount.check(m.outputCount(), d);
        ModelPreprocessingStore.inConfigFolder().save(m.sha256(), m.preprocessing());
        return of(m, d, progress.range(0.3, 1));
    }

    /** The preprocessing the model gets, in words. */
    public String preprocessing() {
        return model.preprocessing().describe();
    }

    /** The preprocessing the model gets, as data (a worker process rebuilds the workspace from it). */
    public Preprocessing preprocessingSettings() {
        return model.preprocessing();
    }

    /** The preprocessing as the data dialog offers it: its preset name, or its JSON for a custom one. */
    public String preprocessingSpec() {
        Preprocessing p = model.preprocessing();
        return Preprocessing.PRESETS.contains(p.name()) && p.equals(Preprocessing.preset(p.name())) ? p.name()
                : DataProbes.MODEL_OWN;
    }

    /** The data dialog's quick check for this model. */
    public DataProbe dataProbe() {
        return new DataProbes(model);
    }

    public LayerTree tree() {
        return tree;
    }

    /**
     * The model distillation learns from: the model this one was derived from (set with
     * {@link #withTeacher}, e.g. the network before its channels were removed), else this model.
     */
    public LoadedModel teacher() {
        LoadedModel t = teacher;
        return t == null ? model : t;
    }

    /** Records the model this workspace's model was derived from, as its distillation teacher; returns this. */
    public Workspace withTeacher(LoadedModel parent) {
        if (parent != null && !java.util.Arrays.equals(parent.inputShape(), model.inputShape())) {
            throw new IllegalArgumentException("a teacher must take the same input as " + model.name());
        }
        this.teacher = parent;
        return this;
    }

    public WeightTable weights() {
        return weights;
    }

    public String modelName() {
        return model.name();
    }

    /** File path or zoo name the model came from. */
    public String origin() {
        return model.origin();
    }

    /** "dl4j-graph", "dl4j-multilayer", "keras-h5" or "dl4j-zoo". */
    public String format() {
        return model.format();
    }

    public String sha256() {
        return model.sha256();
    }

    /** Remarks about the model for the user (untrained, no residual structure, assumed input size). */
    public List<String> notes() {
        return model.notes();
    }

    /** Channels, height, width of the model's input. */
    public int[] inputShape() {
        return model.inputShape().clone();
    }

    /** The data in use, or null when none fits (see {@link #dataProblem()}). */
    public DataSplits data() {
        return data;
    }

    /** The folder the data was read from, if it was read from a folder. */
    public Optional<Path> dataFolder() {
        return data == null ? Optional.empty() : Optional.of(Path.of(data.source())).filter(java.nio.file.Files::isDirectory);
    }

    /** Why no preview is possible (no data, or data of another shape), or null when data fits. */
    public String dataProblem() {
        return dataProblem;
    }

    /** Baseline (unchanged model) accuracy on the validation split, or null until measured or without data. */
    public Evaluation baseline() {
        return baseline;
    }

    /** The plan applier over the loaded model, for the engine services of this package. */
    PlanApplier applier() {
        return applier;
    }

    /** The loaded model (with its DL4J graph), for the engine services of this package. */
    LoadedModel model() {
        return model;
    }

    /** The plan that changes nothing, bound to this model. */
    public Plan emptyPlan() {
        return Plan.empty(model.name(), model.sha256());
    }

    /** Parses a plan file's text and checks it against this model. */
    public Plan readPlan(String text) throws PlanException {
        return PlanJson.read(text, tree, model.sha256());
    }

    /**
     * Size and work figures of a plan, computed from the original weights without running the network.
     * The last few plans' figures are remembered: several views ask for the same plan after every edit,
     * and computing them masks every layer (sorting its weights). Safe from any thread.
     */
    public ModelStats stats(Plan plan) {
        return recentStats.get(plan, p -> applier.stats(applier.compressLayers(p)));
    }

    /**
     * Progressive validation accuracy of a plan (estimates, then exact). With {@code reestimateBn} the
     * BatchNorm statistics of the compressed copy are first refreshed on training images (then the
     * figure is no longer what {@code eval --plan} reports). Engine thread.
     */
    public PreviewUpdate preview(Plan plan, boolean reestimateBn, Consumer<PreviewUpdate> onUpdate,
                                 Progress progress) {
        requireData();
        return previewEngine(progress).preview(plan, reestimateBn, onUpdate, progress);
    }

    /** The preview engine, built on first use (it runs the network once to cache activations). */
    private PreviewEngine previewEngine(Progress progress) {
        if (preview == null) {
            progress.update(0, "preparing the preview (caching activations)");
            preview = new PreviewEngine(applier, data.validation(), PreviewEngine.DEFAULT_BUDGET,
                    new BnReestimator(data.train(), bnImages()));
        }
        return preview;
    }

    /** Training images BatchNorm re-estimation uses, or 0 without data. */
    public int bnImages() {
        return data == null ? 0 : Math.min(BnReestimator.DEFAULT_IMAGES, data.train().size());
    }

    /**
     * Releases the preview's cached activations. Engine thread. The workspace stays usable: the next
     * preview builds its cache again (the workbench reopens a closed workspace when the user goes back
     * to a model kept in memory).
     */
    @Override
    public void close() {
        if (preview != null) {
            preview.close();
            preview = null;
        }
    }

    /**
     * Exact accuracy of a plan on a split: the {@link EvaluateRequest} the CLI's {@code eval --plan} runs,
     * on this workspace. Engine thread.
     */
    public EvaluateResult evaluate(Plan plan, Split split, Progress progress) {
        try {
            return Operations.evaluate(this, EvaluateRequest.of(this, plan, split.key()), progress);
        } catch (PlanException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Measured inference latency at batch 1 and 64 of the unchanged model and of the plan applied,
     * in one run: two warm-up calls, then {@code repeats1} timed calls at batch 1 and
     * {@code repeats64} at batch 64 for each model. A plan that removes whole channels is measured on
     * the physically smaller network (channels removed, its other settings applied), since a masked
     * copy keeps the dense shapes and runs as fast as the original. Engine thread.
     */
    public LatencyReport latency(Plan plan, int repeats1, int repeats64, Progress progress) throws ModelLoadException {
        var dense = model.graph();
        boolean structural = !StructureService.channelLayers(this, plan).isEmpty();
        progress.update(0, structural ? "removing the channels the plan prunes" : "applying the plan");
        var compressed = structural
                ? StructuredCompressor.apply(model, tree, plan, 1, progress.range(0, 0.05)).compressed().graph()
                : applier.apply(plan).graph();
        int[] chw = model.inputShape();
        boolean cl = model.channelsLast();
        LatencyMeter.Latency[] out = new LatencyMeter.Latency[4];
        int[] batches = {1, 64, 1, 64};
        for (int i = 0; i < 4; i++) {
            var net = i < 2 ? dense : compressed;
            double from = 0.05 + 0.95 * i / 4;
            double to = 0.05 + 0.95 * (i + 1) / 4;
            progress.update(from, (i < 2 ? "unchanged model" : "compressed model") + ", batch " + batches[i]);
            int repeats = batches[i] == 1 ? repeats1 : repeats64;
            out[i] = LatencyMeter.measure(net, chw, cl, batches[i], 2, repeats, progress.range(from, to));
        }
        return new LatencyReport(plan, out[0], out[1], out[2], out[3], structural);
    }

    void requireData() {
        if (data == null) {
            throw new IllegalStateException(dataProblem);
        }
    }

    /**
     * Latency of the unchanged and the compressed model, measured in one run.
     *
     * @param plan the plan measured
     */
    public record LatencyReport(Plan plan, LatencyMeter.Latency denseBatch1, LatencyMeter.Latency denseBatch64,
                                LatencyMeter.Latency planBatch1, LatencyMeter.Latency planBatch64,
                                boolean channelsRemoved) {
    }
}
