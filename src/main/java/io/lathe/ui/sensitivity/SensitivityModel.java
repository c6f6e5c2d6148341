package io.lathe.ui.sensitivity;

import io.lathe.compress.Plan;
import io.lathe.sensitivity.AllocationComparison;
import io.lathe.sensitivity.AllocationGoal;
import io.lathe.sensitivity.LayerCurve;
import io.lathe.sensitivity.SensitivityBucket;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.sensitivity.SweepSpec;
import io.lathe.session.SensitivityService;
import io.lathe.session.Workspace;
import io.lathe.ui.Formats;
import io.lathe.ui.LatestJob;
import io.lathe.ui.LayerSensitivity;
import io.lathe.ui.WorkbenchModel;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The Sensitivity tab's state and commands: runs (or resumes) the sweep as a cancellable job with
 * partial results, turns the curves into chart and heatmap data, feeds the layer tree's sensitivity
 * column, and computes, previews and applies an allocation for a goal (one undoable edit that keeps
 * locked layers). FX thread; engine results arrive through {@code fx}.
 */
public final class SensitivityModel {
    /** The user setting that remembers the last Spark master a sweep was sent to. */
    static final String MASTER_SETTING = "sensitivity.sparkMaster";
    private final WorkbenchModel wb;
    private final SensitivityService service;
    private final LatestJob<SensitivityCurves> sweep;
    private final LatestJob<AllocationComparison> allocJob;
    private final ReadOnlyObjectWrapper<SensitivityCurves> curves = new ReadOnlyObjectWrapper<>(this, "curves");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction");
    private final DoubleProperty targetDrop = new SimpleDoubleProperty(this, "targetDrop", 1.0);
    private final ObjectProperty<AllocationGoal.Kind> goalKind = new SimpleObjectProperty<>(this, "goalKind",
            AllocationGoal.Kind.SPARSITY);
    private final ReadOnlyObjectWrapper<AllocationComparison> allocation = new ReadOnlyObjectWrapper<>(this, "allocation");
    private final StringProperty clusterMaster = new SimpleStringProperty(this, "clusterMaster", "");
    private double[] sparsityLevels;
    private int[] bitLevels;

    /**
     * @param wb      the workbench session (workspace, plan editor, preview, runner, errors)
     * @param service the sweep and allocation engine
     * @param fx      hands engine-thread updates to the FX thread ({@code Platform::runLater})
     */
    public SensitivityModel(WorkbenchModel wb, SensitivityService service, Executor fx) {
        this.wb = wb;
        this.service = service;
        this.sweep = new LatestJob<>(wb.runner(), fx, wb.errors());
        this.allocJob = new LatestJob<>(wb.runner(), fx, wb.errors());
        clusterMaster.set(wb.settings().get(MASTER_SETTING).orElse("local[2]"));
        wb.workspaceProperty().addListener((o, a, ws) -> workspaceChanged());
    }

    private void workspaceChanged() {
        sweep.drop();
        allocJob.drop();
        curves.set(null);
        allocation.set(null);
        fraction.set(0);
        sweep.setStatus("");
        allocJob.setStatus("");
    }

    /** Why the sweep cannot run now, or null when it can. */
    public String unavailableReason() {
        Workspace ws = wb.workspace();
        if (ws == null) {
            return "open a model first";
        }
        if (ws.data() == null) {
            return "open data that fits the model: " + ws.dataProblem();
        }
        if (ws.tree().prunableLayers().isEmpty()) {
            return "the model has no convolution or dense layers to analyse";
        }
        return null;
    }

    /** The sweep this tab runs: every prunable layer at the chosen (default: the standard) levels and bit widths. */
    public SweepSpec spec() {
        SweepSpec d = service.defaultSpec(wb.workspace());
        return sparsityLevels == null && bitLevels == null ? d : new SweepSpec(d.layers(), sparsityLevels, bitLevels,
                d.granularity(), d.blockShape(), null);
    }

    /** Chooses the sparsity levels and bit widths to sweep (null: the defaults, 0–98% and 8–2 bits). */
    public void setLevels(double[] sparsities, int[] bits) {
        sparsityLevels = sparsities == null ? null : sparsities.clone();
        bitLevels = bits == null ? null : bits.clone();
    }

    /**
     * The expected duration before the sweep starts, in seconds: every point as a full validation pass
     * at the measured baseline speed (an upper-bound estimate; the sweep re-runs only the network
     * after the changed layer and reuses stored points). NaN until the baseline is measured.
     */
    public double estimatedSeconds() {
        Workspace ws = wb.workspace();
        if (ws == null || ws.baseline() == null || unavailableReason() != null) {
            return Double.NaN;
        }
        SweepSpec s = spec();
        int points = s.layers().size() * (s.sparsities().length + s.bits().length);
        SensitivityCurves c = curves.get();
        if (c != null) {
            int[] p = c.progress();
            points = Math.max(0, p[1] - p[0]);
        }
        return points * ws.baseline().seconds();
    }

    /** Starts the sweep, or resumes it: points already measured (also in earlier sessions) are reused. */
    public void run() {
        start(null);
    }

    /**
     * Sends the sweep to the Spark master in {@link #clusterMasterProperty()} (remembered in the user's
     * settings); the results come back into the same store and fill the same curves as a local sweep.
     */
    public void runOnCluster() {
        String master;
        try {
            master = service.checkMaster(clusterMaster.get());
        } catch (IllegalArgumentException e) {
            wb.errors().report("Sensitivity analysis on Spark", e);
            return;
        }
        wb.settings().put(MASTER_SETTING, master);
        start(master);
    }

    private void start(String master) {
        String why = unavailableReason();
        if (why != null) {
            wb.errors().report("Sensitivity analysis", new IllegalStateException(why));
            return;
        }
        if (sweep.isRunning()) {
            return;
        }
        Workspace ws = wb.workspace();
        sweep.setStatus(master == null ? "starting" : "starting on Spark (" + master + ")");
        Consumer<SensitivityCurves> partial = sweep.newest(this::partial);
        var job = master == null ? service.sweep(ws, spec(), partial)
                : service.sweepOnCluster(ws, spec(), master, partial);
        sweep.start(master == null ? "Sensitivity analysis" : "Sensitivity analysis on Spark", job, c -> {
            partial(c);
            sweep.setStatus(pointsText(c) + " — complete");
        }, t -> sweep.setStatus(pointsText(curves.get()) + " — stopped by an error; Resume continues where it stopped"),
                () -> sweep.setStatus(pointsText(curves.get()) + " — cancelled; Resume continues where it stopped"));
    }

    /** Stops the sweep at its next point; measured points are kept and a later run resumes. */
    public void cancel() {
        sweep.cancel();
    }

    /** Shows the curves measured so far (partial results arrive coalesced, so a fast sweep never floods the FX thread). */
    private void partial(SensitivityCurves c) {
        if (c == null) {
            return;
        }
        curves.set(c);
        int[] p = c.progress();
        fraction.set(p[1] == 0 ? 0 : (double) p[0] / p[1]);
        if (sweep.isRunning()) {
            sweep.setStatus(pointsText(c) + sweep.etaText());
        }
        Map<String, LayerSensitivity> marks = new LinkedHashMap<>();
        Map<String, SensitivityBucket> buckets = c.buckets();
        c.scores().forEach((layer, score) -> marks.put(layer, new LayerSensitivity(label(buckets.get(layer)), score)));
        wb.setSensitivity(marks);
    }

    static String label(SensitivityBucket b) {
        return b == SensitivityBucket.TOP ? "top 5%" : b.key();
    }

    private static String pointsText(SensitivityCurves c) {
        if (c == null) {
            return "no points measured";
        }
        int[] p = c.progress();
        return p[0] + " of " + p[1] + " points measured on " + Formats.count(c.images()) + " validation images";
    }

    /** True when a sweep stopped part-way (cancelled or failed) and can continue. */
    public boolean canResume() {
        SensitivityCurves c = curves.get();
        return !sweep.isRunning() && c != null && !c.complete();
    }

    /** Measured (sparsity, accuracy) points of a layer, ascending; empty if not measured. */
    public List<double[]> sparsityPoints(String layer) {
        List<double[]> out = new ArrayList<>();
        LayerCurve c = curves.get() == null ? null : curves.get().curve(layer);
        if (c != null) {
            c.sparsity().forEach((s, a) -> out.add(new double[]{s, a}));
        }
        return out;
    }

    /** Measured (bits, accuracy) points of a layer, ascending by bits; empty if not measured. */
    public List<double[]> bitPoints(String layer) {
        List<double[]> out = new ArrayList<>();
        LayerCurve c = curves.get() == null ? null : curves.get().curve(layer);
        if (c != null) {
            c.bits().forEach((b, a) -> out.add(new double[]{b, a}));
        }
        return out;
    }

    /** Layers swept, in execution order. */
    public List<String> layers() {
        return curves.get() == null ? List.of() : curves.get().layers().stream().map(LayerCurve::layer).toList();
    }

    /** The accuracy the target line marks: the baseline less the allowed drop (NaN without curves). */
    public double targetAccuracy() {
        return curves.get() == null ? Double.NaN : curves.get().baseline() - targetDrop.get() / 100;
    }

    /**
     * Where a layer's current setting sits on its curves: {sparsity it removes under the plan, bits}.
     * Null without a workspace or plan.
     */
    public double[] currentSetting(String layer) {
        Workspace ws = wb.workspace();
        Plan p = wb.editor().plan();
        if (ws == null || p == null || !ws.weights().has(layer)) {
            return null;
        }
        return new double[]{ws.weights().sparsityOf(layer, p.pruneOf(layer)), p.quantOf(layer).bits()};
    }

    /** The heatmap of accuracy drop, layers × levels (empty without curves). */
    public SensitivityHeatmap heatmap() {
        return SensitivityHeatmap.of(curves.get());
    }

    /**
     * Computes the allocation for a goal typed by the user (percent for sparsity, KB for size, points
     * for drop), keeping the plan's locked layers, and measures it against the uniform plan.
     * Returns a message when the input is not usable (nothing is started then), else null.
     */
    public String allocate(String goalText) {
        SensitivityCurves c = curves.get();
        if (c == null || c.scores().isEmpty()) {
            return "run the sensitivity analysis first: the allocation works from its measured curves";
        }
        AllocationGoal goal;
        try {
            double v = Double.parseDouble(goalText.trim().replace("%", ""));
            goal = switch (goalKind.get()) {
                case SPARSITY -> AllocationGoal.sparsity(v / 100);
                case SIZE_KB -> AllocationGoal.sizeKb(v);
                case MAX_DROP -> AllocationGoal.maxDrop(v);
            };
        } catch (NumberFormatException e) {
            return "'" + goalText + "' is not a number: type e.g. 70 (%), 120 (KB) or 1.5 (points)";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (goal.usesBits() && c.bitLevels().length == 0) {
            return "a size goal needs the bit-width curves: run the full analysis";
        }
        allocation.set(null);
        allocJob.setStatus("allocating for " + goal + " and measuring it against the uniform plan…");
        allocJob.start("Allocate (" + goal + ")", service.allocate(wb.workspace(), c, goal, wb.editor().plan()), r -> {
            allocation.set(r);
            allocJob.setStatus("");
        }, t -> allocJob.setStatus("allocation failed: " + t.getMessage()), () -> allocJob.setStatus("allocation cancelled"));
        return null;
    }

    /** Cancels the allocation in progress. */
    public void cancelAllocation() {
        allocJob.cancel();
    }

    /** The allocated plan with the current plan's locked layers kept as they are now. */
    public Plan allocatedPlan() {
        AllocationComparison a = allocation.get();
        Plan current = wb.editor().plan();
        if (a == null || current == null) {
            return null;
        }
        Plan p = a.allocation().plan();
        for (var e : current.layers().entrySet()) {
            if (e.getValue().locked()) {
                p = p.with(e.getKey(), e.getValue());
            }
        }
        return p;
    }

    /** Runs the allocated plan through the window's preview (the plan being edited is unchanged). */
    public void preview() {
        Plan p = allocatedPlan();
        if (p != null) {
            wb.preview().request(p, true);
        }
    }

    /** Applies the allocated plan to the sliders as one undoable edit; locked layers keep their settings. */
    public void apply() {
        Plan p = allocatedPlan();
        if (p != null) {
            wb.editor().edit("Apply allocation (" + allocation.get().allocation().goal() + ")", p);
        }
    }

    public ReadOnlyObjectProperty<SensitivityCurves> curvesProperty() {
        return curves.getReadOnlyProperty();
    }

    /** The Spark master {@link #runOnCluster()} sends the sweep to (editable). */
    public StringProperty clusterMasterProperty() {
        return clusterMaster;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return sweep.runningProperty();
    }

    /** Fraction of the sweep's points measured (0..1). */
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return sweep.statusProperty();
    }

    /** The accuracy drop, in points, the target line allows. */
    public DoubleProperty targetDropProperty() {
        return targetDrop;
    }

    public ObjectProperty<AllocationGoal.Kind> goalKindProperty() {
        return goalKind;
    }

    public ReadOnlyObjectProperty<AllocationComparison> allocationProperty() {
        return allocation.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty allocatingProperty() {
        return allocJob.runningProperty();
    }

    public ReadOnlyStringProperty allocationStatusProperty() {
        return allocJob.statusProperty();
    }

    /** The workbench session this tab belongs to. */
    public WorkbenchModel workbench() {
        return wb;
    }
}
