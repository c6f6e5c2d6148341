package io.lathe.sensitivity;

import io.lathe.compress.Granularity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a sensitivity sweep (complete or partial): every swept layer's curves, the unchanged
 * network's accuracy, and per-layer sensitivity scores and rank buckets. Immutable.
 *
 * @param modelSha256     fingerprint of the model
 * @param dataFingerprint fingerprint of the images (see {@code LabeledImages.fingerprint()})
 * @param images          number of images each accuracy was measured on
 * @param baseline        accuracy of the unchanged network (fraction)
 * @param granularity     pruning granularity of the sparsity curves
 * @param blockShape      block shape for block granularity
 * @param sparsityLevels  the levels the sweep asked for
 * @param bitLevels       the bit widths the sweep asked for
 * @param layers          one curve per swept layer, in sweep order (layers not reached yet have empty maps)
 * @param earlyStopFloor  the early-stopping floor used, or null when every level was measured
 */
public record SensitivityCurves(String modelSha256, String dataFingerprint, int images, double baseline,
                                Granularity granularity, String blockShape, double[] sparsityLevels, int[] bitLevels,
                                List<LayerCurve> layers, Double earlyStopFloor) {
    public SensitivityCurves {
        layers = List.copyOf(layers);
        sparsityLevels = sparsityLevels.clone();
        bitLevels = bitLevels.clone();
    }

    /** The curve of a layer, or null if it was not swept. */
    public LayerCurve curve(String layer) {
        for (LayerCurve c : layers) {
            if (c.layer().equals(layer)) {
                return c;
            }
        }
        return null;
    }

    /** Measured points so far and points asked for (a stopped-early layer counts its skipped points as done). */
    public int[] progress() {
        int done = 0;
        for (LayerCurve c : layers) {
            done += c.stoppedEarly() ? sparsityLevels.length : c.sparsity().size();
            done += c.stoppedEarly() && c.bits().size() < bitLevels.length ? bitLevels.length : c.bits().size();
        }
        return new int[]{done, layers.size() * (sparsityLevels.length + bitLevels.length)};
    }

    /** True once every asked point is measured (or skipped by early stopping). */
    public boolean complete() {
        int[] p = progress();
        return p[0] >= p[1];
    }

    /**
     * The sensitivity score of a layer: its mean accuracy drop, in percentage points, over the sweep's
     * sparsity levels (over the bit widths when no sparsity was swept). Improvements count as zero
     * drop; levels skipped by early stopping count with the last measured accuracy. NaN until measured.
     */
    public double score(String layer) {
        LayerCurve c = curve(layer);
        if (c == null) {
            return Double.NaN;
        }
        if (sparsityLevels.length > 0) {
            return meanDrop(c.sparsity(), sparsityLevels.length, c.stoppedEarly());
        }
        return meanDrop(c.bits(), bitLevels.length, c.stoppedEarly());
    }

    private <K> double meanDrop(Map<K, Double> points, int asked, boolean stopped) {
        if (points.isEmpty() || (!stopped && points.size() < asked)) {
            return Double.NaN;
        }
        double sum = 0;
        double last = baseline;
        for (double acc : points.values()) {
            sum += Math.max(0, baseline - acc);
            last = acc;
        }
        sum += (asked - points.size()) * Math.max(0, baseline - last);
        return 100 * sum / asked;
    }

    /** Scores of every fully measured layer. */
    public Map<String, Double> scores() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (LayerCurve c : layers) {
            double s = score(c.layer());
            if (!Double.isNaN(s)) {
                m.put(c.layer(), s);
            }
        }
        return m;
    }

    /**
     * Rank buckets of every fully measured layer: the most sensitive 5% (at least one) are TOP, the
     * rest split by rank into thirds HIGH, MEDIUM, LOW.
     */
    public Map<String, SensitivityBucket> buckets() {
        Map<String, Double> s = scores();
        List<String> ranked = new ArrayList<>(s.keySet());
        ranked.sort(Comparator.comparing((String l) -> s.get(l)).reversed());
        int n = ranked.size();
        int top = n == 0 ? 0 : Math.max(1, (int) Math.round(0.05 * n));
        Map<String, SensitivityBucket> out = new HashMap<>();
        int rest = n - top;
        for (int r = 0; r < n; r++) {
            SensitivityBucket b;
            if (r < top) {
                b = SensitivityBucket.TOP;
            } else {
                double q = (double) (r - top) / Math.max(1, rest);
                b = q < 1.0 / 3 ? SensitivityBucket.HIGH : q < 2.0 / 3 ? SensitivityBucket.MEDIUM : SensitivityBucket.LOW;
            }
            out.put(ranked.get(r), b);
        }
        return out;
    }

    /** The bucket of one layer, or null until it is fully measured. */
    public SensitivityBucket bucket(String layer) {
        return buckets().get(layer);
    }
}
