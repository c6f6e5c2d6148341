package io.lathe.sensitivity;

import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Evaluator;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The per-layer sensitivity sweep as a background job: for each chosen layer, the accuracy on the
 * given images with only that layer pruned (each sparsity level) or quantized (each bit width).
 * Points already in the {@link SweepStore} are reused, new ones are stored as soon as measured, so a
 * cancelled or crashed sweep resumes where it stopped. {@code onUpdate} receives a fresh immutable
 * {@link SensitivityCurves} after every new point, on the engine thread (a UI hops to its own thread).
 */
public final class SensitivitySweep implements Job<SensitivityCurves> {
    private static final String BASELINE = "(unchanged network)";
    private final PlanApplier applier;
    private final LabeledImages images;
    private final SweepSpec spec;
    private final SeriesRunner runner;
    private final SweepStore store;
    private final Consumer<SensitivityCurves> onUpdate;
    private final Map<String, TreeMap<Double, Double>> sparsity = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, Double>> bits = new LinkedHashMap<>();
    private final Map<String, Boolean> stopped = new HashMap<>();
    private double baseline;
    private String dataFingerprint;

    /** A sweep measured on this machine with {@code engine}. */
    public SensitivitySweep(PlanApplier applier, LabeledImages images, SweepSpec spec, SweepEngine engine,
                            SweepStore store, Consumer<SensitivityCurves> onUpdate) {
        this(applier, images, spec, new LocalSeriesRunner(applier, spec.granularity(), spec.blockShape(), engine),
                store, onUpdate);
    }

    /**
     * A sweep whose variants {@code runner} measures (on this machine or on a cluster); {@code images} are
     * the same images the runner predicts, for their labels, count and fingerprint.
     */
    public SensitivitySweep(PlanApplier applier, LabeledImages images, SweepSpec spec, SeriesRunner runner,
                            SweepStore store, Consumer<SensitivityCurves> onUpdate) {
        this.applier = applier;
        this.images = images;
        this.spec = spec;
        this.runner = runner;
        this.store = store;
        this.onUpdate = onUpdate == null ? c -> { } : onUpdate;
    }

    @Override
    public SensitivityCurves run(Progress progress) {
        LayerTree tree = applier.tree();
        spec.checkAgainst(tree);
        Evaluator.checkShape(applier.model(), images);
        if (images.size() == 0) {
            throw new IllegalArgumentException("no images to measure on: the chosen split is empty");
        }
        String sha = applier.model().sha256();
        dataFingerprint = images.fingerprint();
        int n = images.size();
        SweepStore.Points prunePts = store.open(sha, dataFingerprint, n,
                SweepStore.pruneKind(spec.granularity(), spec.blockShape()));
        SweepStore.Points bitPts = store.open(sha, dataFingerprint, n, SweepStore.BITS);
        for (String l : spec.layers()) {
            sparsity.put(l, new TreeMap<>());
            bits.put(l, new TreeMap<>());
            stopped.put(l, false);
        }
        Integer base = prunePts.get(BASELINE, 0);
        if (base == null) {
            base = bitPts.get(BASELINE, 0);
        }
        if (base == null) {
            progress.update(0, "measuring the unchanged network");
            base = correct(runner.baseline(progress.range(0, 0.02)));
            prunePts.put(BASELINE, 0, base);
            bitPts.put(BASELINE, 0, base);
            prunePts.save();
            bitPts.save();
        }
        baseline = (double) base / n;
        List<String> order = new ArrayList<>(spec.layers());
        Map<String, Integer> pos = new HashMap<>();
        List<LayerInfo> all = tree.layers();
        for (int i = 0; i < all.size(); i++) {
            pos.put(all.get(i).name(), i);
        }
        order.sort(Comparator.comparing(pos::get));
        for (String l : order) {
            collectStored(l, prunePts, bitPts);
        }
        onUpdate.accept(snapshot());
        List<SweepSeries> pending = new ArrayList<>();
        for (String l : order) {
            pendingSeries(l, pending);
        }
        runner.run(pending, (series, index, pred) -> measured(series, index, pred, prunePts, bitPts),
                progress.range(0.02, 1));
        progress.update(1, "sweep complete");
        return snapshot();
    }

    private void collectStored(String layer, SweepStore.Points prunePts, SweepStore.Points bitPts) {
        for (double s : spec.sparsities()) {
            if (stopped.get(layer)) {
                break;
            }
            Integer c = prunePts.get(layer, s);
            if (c != null) {
                record(layer, s, (double) c / images.size(), sparsity.get(layer));
            }
        }
        boolean prunedStop = stopped.get(layer);
        stopped.put(layer, false);
        for (int b : spec.bits()) {
            if (stopped.get(layer)) {
                break;
            }
            Integer c = bitPts.get(layer, b);
            if (c != null) {
                record(layer, b, (double) c / images.size(), bits.get(layer));
            }
        }
        stopped.put(layer, stopped.get(layer) || prunedStop);
    }

    private <K> void record(String layer, K level, double acc, TreeMap<K, Double> into) {
        into.put(level, acc);
        if (spec.floor() != null && acc < spec.floor()) {
            stopped.put(layer, true);
        }
    }

    /** The variants of a layer still to measure: levels not stored yet, none once a stored level fell below the floor. */
    private void pendingSeries(String layer, List<SweepSeries> into) {
        TreeMap<Double, Double> sDone = sparsity.get(layer);
        if (spec.floor() == null || sDone.values().stream().noneMatch(a -> a < spec.floor())) {
            double[] levels = Arrays.stream(spec.sparsities()).filter(s -> !sDone.containsKey(s)).toArray();
            if (levels.length > 0) {
                into.add(new SweepSeries(layer, false, levels));
            }
        }
        TreeMap<Integer, Double> bDone = bits.get(layer);
        if (spec.floor() == null || bDone.values().stream().noneMatch(a -> a < spec.floor())) {
            double[] levels = Arrays.stream(spec.bits()).filter(b -> !bDone.containsKey(b)).asDoubleStream().toArray();
            if (levels.length > 0) {
                into.add(new SweepSeries(layer, true, levels));
            }
        }
    }

    /** Stores and records one measured variant; false once it fell below the floor. */
    private boolean measured(SweepSeries series, int index, int[] pred, SweepStore.Points prunePts,
                             SweepStore.Points bitPts) {
        String layer = series.layer();
        double level = series.level(index);
        double acc;
        if (series.bits()) {
            acc = store(bitPts, layer, level, pred);
            record(layer, (int) level, acc, bits.get(layer));
        } else {
            acc = store(prunePts, layer, level, pred);
            record(layer, level, acc, sparsity.get(layer));
        }
        onUpdate.accept(snapshot());
        return spec.floor() == null || acc >= spec.floor();
    }

    private double store(SweepStore.Points pts, String layer, double level, int[] pred) {
        int c = correct(pred);
        pts.put(layer, level, c);
        pts.save();
        return (double) c / images.size();
    }

    private int correct(int[] pred) {
        int c = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == images.label(i)) {
                c++;
            }
        }
        return c;
    }

    private SensitivityCurves snapshot() {
        List<LayerCurve> curves = new ArrayList<>();
        for (String l : spec.layers()) {
            curves.add(new LayerCurve(l, applier.tree().layer(l).weights(), sparsity.get(l), bits.get(l),
                    stopped.get(l)));
        }
        return new SensitivityCurves(applier.model().sha256(), dataFingerprint, images.size(), baseline,
                spec.granularity(), spec.blockShape(), spec.sparsities(), spec.bits(), curves, spec.floor());
    }
}
