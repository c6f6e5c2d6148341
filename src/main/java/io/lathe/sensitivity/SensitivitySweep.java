package io.lathe.sensitivity;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Evaluator;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;

import java.util.ArrayList;
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
    private final SweepEngine engine;
    private final SweepStore store;
    private final Consumer<SensitivityCurves> onUpdate;
    private final Map<String, TreeMap<Double, Double>> sparsity = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, Double>> bits = new LinkedHashMap<>();
    private final Map<String, Boolean> stopped = new HashMap<>();
    private double baseline;
    private String dataFingerprint;

    public SensitivitySweep(PlanApplier applier, LabeledImages images, SweepSpec spec, SweepEngine engine,
                            SweepStore store, Consumer<SensitivityCurves> onUpdate) {
        this.applier = applier;
        this.images = images;
        this.spec = spec;
        this.engine = engine;
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
            base = correct(engine.baseline(progress.range(0, 0.02)));
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
        for (int i = 0; i < order.size(); i++) {
            String layer = order.get(i);
            Progress p = progress.range(0.02 + 0.98 * i / order.size(), 0.02 + 0.98 * (i + 1) / order.size());
            sweepLayer(layer, prunePts, bitPts, p);
        }
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

    private void sweepLayer(String layer, SweepStore.Points prunePts, SweepStore.Points bitPts, Progress progress) {
        List<Double> sLevels = new ArrayList<>();
        TreeMap<Double, Double> sDone = sparsity.get(layer);
        boolean belowFloor = spec.floor() != null && sDone.values().stream().anyMatch(a -> a < spec.floor());
        if (!belowFloor) {
            for (double s : spec.sparsities()) {
                if (!sDone.containsKey(s)) {
                    sLevels.add(s);
                }
            }
        }
        List<Integer> bLevels = new ArrayList<>();
        TreeMap<Integer, Double> bDone = bits.get(layer);
        boolean bitsBelow = spec.floor() != null && bDone.values().stream().anyMatch(a -> a < spec.floor());
        if (!bitsBelow) {
            for (int b : spec.bits()) {
                if (!bDone.containsKey(b)) {
                    bLevels.add(b);
                }
            }
        }
        int total = sLevels.size() + bLevels.size();
        if (total == 0) {
            return;
        }
        progress.update(0, layer + ": preparing " + total + " variants");
        List<CompressedLayer> pv = new ArrayList<>();
        for (double s : sLevels) {
            pv.add(Variants.pruned(applier, layer, spec.granularity(), spec.blockShape(), s));
        }
        List<CompressedLayer> qv = new ArrayList<>();
        for (int b : bLevels) {
            qv.add(Variants.quantized(applier, layer, b));
        }
        double split = (double) sLevels.size() / total;
        if (!pv.isEmpty()) {
            engine.run(layer, pv, (v, pred) -> {
                double acc = store(prunePts, layer, sLevels.get(v), pred);
                record(layer, sLevels.get(v), acc, sparsity.get(layer));
                onUpdate.accept(snapshot());
                return spec.floor() == null || acc >= spec.floor();
            }, progress.range(0, split));
        }
        if (!qv.isEmpty()) {
            engine.run(layer, qv, (v, pred) -> {
                double acc = store(bitPts, layer, bLevels.get(v), pred);
                record(layer, bLevels.get(v), acc, bits.get(layer));
                onUpdate.accept(snapshot());
                return spec.floor() == null || acc >= spec.floor();
            }, progress.range(split, 1));
        }
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
