package io.lathe.ui.structure;

import io.lathe.eval.GranularityComparison;
import io.lathe.model.LayerInfo;
import io.lathe.session.StructureService;
import io.lathe.session.Workspace;
import io.lathe.ui.LatestJob;
import io.lathe.ui.WorkbenchModel;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The Granularity tab's state and commands: the scope (whole model or the layer selected in the tree),
 * the sparsity levels typed as percentages, the number of validation images, and the comparison job
 * whose partial results arrive point by point. FX thread; engine results arrive through {@code fx}.
 */
public final class GranularityModel {
    /** Validation image counts offered (0 = the whole split). */
    public static final List<Integer> IMAGE_CHOICES = List.of(500, 1000, 0);
    /** Timed batch-64 calls per point and network. */
    public static final int DEFAULT_REPEATS = 8;

    private final WorkbenchModel wb;
    private final LatestJob<GranularityComparison.Result> job;
    private final StringProperty levels = new SimpleStringProperty(this, "levels", "25, 50, 75");
    private final ReadOnlyBooleanWrapper wholeModel = new ReadOnlyBooleanWrapper(this, "wholeModel", true);
    private final ReadOnlyStringWrapper selectedLayer = new ReadOnlyStringWrapper(this, "selectedLayer");
    private final ReadOnlyStringWrapper layerProblem = new ReadOnlyStringWrapper(this, "layerProblem");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyObjectWrapper<GranularityComparison.Result> result = new ReadOnlyObjectWrapper<>(this, "result");
    private int images = 500;
    private int repeats = DEFAULT_REPEATS;

    /**
     * @param wb the workbench session
     * @param fx hands engine-thread results to the FX thread
     */
    public GranularityModel(WorkbenchModel wb, Executor fx) {
        this.wb = wb;
        this.job = new LatestJob<>(wb.runner(), fx, wb.errors());
        levels.addListener((o, a, b) -> validate());
        wb.layers().layerProperty().addListener((o, a, l) -> followSelection(l));
        wb.workspaceProperty().addListener((o, a, ws) -> {
            job.drop();
            result.set(null);
            job.setStatus("");
            followSelection(wb.layers().layer());
        });
        followSelection(wb.layers().layer());
    }

    private void followSelection(LayerInfo l) {
        Workspace ws = wb.workspace();
        if (l == null || ws == null) {
            selectedLayer.set(null);
            layerProblem.set("select a conv or dense layer in the layer tree");
        } else if (!StructureService.comparableLayers(ws).contains(l.name())) {
            selectedLayer.set(null);
            layerProblem.set("'" + l.name() + "' cannot lose channels (the classifier and layers without weights "
                    + "are not compared); select a conv or dense layer in the tree");
        } else {
            selectedLayer.set(l.name());
            layerProblem.set(null);
        }
        if (!wholeModel.get() && selectedLayer.get() == null) {
            wholeModel.set(true);
        }
        validate();
    }

    /** Compares on every weight layer but the classifier (true) or on the layer selected in the tree (false). */
    public void setWholeModel(boolean on) {
        wholeModel.set(on || selectedLayer.get() == null);
        validate();
    }

    /** Measures accuracy on the first {@code n} validation images (0: all of them). */
    public void setImages(int n) {
        images = Math.max(0, n);
    }

    public int images() {
        return images;
    }

    /** Timed batch-64 calls per point (tests use 1). */
    public void setRepeats(int n) {
        repeats = Math.max(1, n);
    }

    /** Parses the typed levels ("25, 50, 75" in percent) into fractions, or throws with what is wrong. */
    public static double[] parseLevels(String text) {
        List<Double> out = new ArrayList<>();
        for (String part : (text == null ? "" : text).split("[,;\\s]+")) {
            String t = part.trim().replace("%", "");
            if (t.isEmpty()) {
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a number; type percentages such as "
                        + "25, 50, 75");
            }
            if (!(v > 0 && v < 100)) {
                throw new IllegalArgumentException("sparsity levels must lie between 0 and 100%, got " + part.trim());
            }
            if (!out.contains(v / 100)) {
                out.add(v / 100);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("type at least one sparsity level in percent, such as 25, 50, 75");
        }
        if (out.size() > 8) {
            throw new IllegalArgumentException("at most 8 levels (each is measured three times); got " + out.size());
        }
        return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** Sets and returns why the comparison cannot start (null when it can). */
    public String validate() {
        Workspace ws = wb.workspace();
        String p = null;
        if (ws == null) {
            p = "open a model first (File → Open model)";
        } else if (ws.data() == null) {
            p = "open data that fits the model (File → Open data): " + ws.dataProblem();
        } else {
            try {
                parseLevels(levels.get());
            } catch (IllegalArgumentException e) {
                p = e.getMessage();
            }
        }
        problem.set(p);
        return p;
    }

    /** Points the comparison measures with the typed levels (3 granularities × levels), or 0 if invalid. */
    public int pointCount() {
        try {
            return 3 * parseLevels(levels.get()).length;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * Expected seconds before the start (an estimate from the measured baseline speed): one accuracy pass
     * per point plus the paired batch-64 timings, or NaN until the baseline is known.
     */
    public double estimatedSeconds() {
        Workspace ws = wb.workspace();
        double perImage = StructureService.secondsPerImage(ws);
        if (Double.isNaN(perImage) || ws.data() == null || pointCount() == 0) {
            return Double.NaN;
        }
        int n = StructureService.validation(ws, images).size();
        double perPoint = n * perImage + 2 * (2 + repeats) * 64 * perImage;
        return n * perImage + pointCount() * perPoint;
    }

    /** Starts the comparison; returns the problem instead when it cannot start. */
    public String run() {
        if (job.isRunning()) {
            return "a comparison is already running";
        }
        String p = validate();
        if (p != null) {
            return p;
        }
        Workspace ws = wb.workspace();
        String layer = wholeModel.get() ? null : selectedLayer.get();
        double[] sparsities = parseLevels(levels.get());
        result.set(null);
        job.setStatus("measuring " + pointCount() + " points on " + (layer == null ? "the whole model" : layer) + "…");
        Consumer<GranularityComparison.Result> partial = job.newest(result::set);
        job.start("Compare granularity",
                StructureService.compareGranularity(ws, layer, sparsities, images, repeats, partial),
                this::finished, t -> job.setStatus("stopped by an error"),
                () -> job.setStatus("cancelled; the points measured so far stay on the chart"));
        return null;
    }

    private void finished(GranularityComparison.Result r) {
        result.set(r);
        job.setStatus(String.format(Locale.ROOT, "measured %d points on %s, %d validation images each (no fine-tuning)",
                r.series().stream().mapToInt(s -> s.points().size()).sum(), r.scope(), r.images()));
    }

    /** Stops a running comparison (the points measured so far stay). */
    public void cancel() {
        job.cancel();
    }

    /** Sparsity levels in percent, as typed. */
    public StringProperty levelsProperty() {
        return levels;
    }

    public ReadOnlyBooleanProperty wholeModelProperty() {
        return wholeModel.getReadOnlyProperty();
    }

    /** The tree's selected layer when it can be compared, else null. */
    public ReadOnlyStringProperty selectedLayerProperty() {
        return selectedLayer.getReadOnlyProperty();
    }

    /** Why the selected layer cannot be compared, or null. */
    public ReadOnlyStringProperty layerProblemProperty() {
        return layerProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return job.runningProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return job.statusProperty();
    }

    /** The comparison so far (partial while running), or null. */
    public ReadOnlyObjectProperty<GranularityComparison.Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public WorkbenchModel workbench() {
        return wb;
    }
}
