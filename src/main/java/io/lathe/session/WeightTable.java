package io.lathe.session;

import io.lathe.compress.BlockShape;
import io.lathe.compress.OriginalWeights;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.Pruner;
import io.lathe.compress.WeightLayout;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The original weights of every prunable layer as plain float arrays, with the conversions the layer
 * panel needs at slider speed: threshold → sparsity, sparsity → threshold, and importance histograms.
 * Results agree with {@link Pruner} (same importance, same tie order). Immutable apart from an
 * internal cache; thread-safe, so the UI may call it on its own thread.
 */
public final class WeightTable {
    private final Map<String, float[]> filtersMajor;
    private final Map<String, WeightLayout> layouts;
    private final Map<String, Scale> scales = new ConcurrentHashMap<>();

    private WeightTable(Map<String, float[]> filtersMajor, Map<String, WeightLayout> layouts) {
        this.filtersMajor = Collections.unmodifiableMap(filtersMajor);
        this.layouts = Collections.unmodifiableMap(layouts);
    }

    /** Copies the weights of every layer in {@code originals}. */
    public static WeightTable of(OriginalWeights originals) {
        Map<String, float[]> w = new LinkedHashMap<>();
        Map<String, WeightLayout> l = new LinkedHashMap<>();
        for (String name : originals.layers()) {
            WeightLayout layout = WeightLayout.of(originals.shape(name));
            l.put(name, layout);
            w.put(name, layout.toFilters(originals.weights(name)));
        }
        return new WeightTable(w, l);
    }

    /** True if {@code layer} is a prunable layer of this model. */
    public boolean has(String layer) {
        return filtersMajor.containsKey(layer);
    }

    /** Number of weights of a layer. */
    public int size(String layer) {
        return require(layer).length;
    }

    /** Fraction of the layer's weights a threshold removes under the setting's granularity. */
    public double sparsityAt(String layer, PruneSetting setting, double threshold) {
        Scale s = scale(layer, setting);
        int removedGroups = lowerBound(s.sorted, threshold);
        return (double) s.cumulativeWeights[removedGroups] / s.totalWeights;
    }

    /** The threshold that reaches a target sparsity: the importance of the least important kept group. */
    public double thresholdFor(String layer, PruneSetting setting, double sparsity) {
        Scale s = scale(layer, setting);
        int n = s.sorted.length;
        int remove = (int) Math.round(sparsity * n);
        if (remove <= 0) {
            return 0;
        }
        if (remove >= n) {
            return Math.nextUp(s.sorted[n - 1]);
        }
        return s.sorted[remove];
    }

    /** The fraction of weights a setting removes (a sparsity setting rounds to whole groups). */
    public double sparsityOf(String layer, PruneSetting setting) {
        if (setting.isNone()) {
            return 0;
        }
        if (setting.threshold() != null) {
            return sparsityAt(layer, setting, setting.threshold());
        }
        Scale s = scale(layer, setting);
        int remove = (int) Math.min(s.sorted.length, Math.round(setting.sparsity() * s.sorted.length));
        return (double) s.cumulativeWeights[remove] / s.totalWeights;
    }

    /** The largest group importance of a layer under the setting's granularity and criterion. */
    public double maxImportance(String layer, PruneSetting setting) {
        float[] sorted = scale(layer, setting).sorted;
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    /** A histogram of group importances ({@code |w|} for elements) over {@code [0, max]}. */
    public Histogram histogram(String layer, PruneSetting setting, int bins, double max) {
        float[] sorted = scale(layer, setting).sorted;
        long[] counts = new long[bins];
        double width = max / bins;
        for (float v : sorted) {
            int b = width <= 0 ? 0 : (int) Math.min(bins - 1, Math.floor(v / width));
            counts[b]++;
        }
        return new Histogram(0, max, counts);
    }

    /**
     * Counts of importance values in equal-width bins.
     *
     * @param min    lower edge of the first bin
     * @param max    upper edge of the last bin (values above it are counted in the last bin)
     * @param counts groups per bin
     */
    public record Histogram(double min, double max, long[] counts) {
        /** Width of one bin. */
        public double binWidth() {
            return (max - min) / counts.length;
        }
    }

    private float[] require(String layer) {
        float[] w = filtersMajor.get(layer);
        if (w == null) {
            throw new IllegalArgumentException("no prunable layer named '" + layer + "'");
        }
        return w;
    }

    private Scale scale(String layer, PruneSetting setting) {
        String key = layer + "|" + setting.granularity() + "|" + setting.blockShape() + "|" + setting.criterion();
        return scales.computeIfAbsent(key, k -> buildScale(layer, setting));
    }

    private Scale buildScale(String layer, PruneSetting setting) {
        float[] w = require(layer);
        WeightLayout.Groups groups = layouts.get(layer).groups(setting.granularity(),
                BlockShape.parse(setting.blockShape()));
        float[] importance = Pruner.importance(w, groups, setting.criterion());
        int[] sizes = groups.sizes();
        int n = importance.length;
        boolean uniform = Arrays.stream(sizes).allMatch(s -> s == sizes[0]);
        float[] sorted;
        long[] cumulative = new long[n + 1];
        if (uniform) {
            sorted = importance.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                cumulative[i + 1] = cumulative[i] + sizes[0];
            }
        } else {
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> {
                int c = Float.compare(importance[a], importance[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            sorted = new float[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = importance[idx[i]];
                cumulative[i + 1] = cumulative[i] + sizes[idx[i]];
            }
        }
        return new Scale(sorted, cumulative, w.length);
    }

    /** Index of the first value not below {@code t}: the number of groups a threshold removes. */
    private static int lowerBound(float[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private record Scale(float[] sorted, long[] cumulativeWeights, long totalWeights) {
    }
}
