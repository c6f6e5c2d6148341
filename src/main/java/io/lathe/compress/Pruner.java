package io.lathe.compress;

import java.util.Arrays;

/**
 * Magnitude pruning of one layer's weights (filters-major, see {@link WeightLayout}) at element, block
 * or channel granularity, by absolute threshold or by target sparsity. Pure functions.
 */
public final class Pruner {
    private Pruner() {
    }

    /** Importance of every group: |w|, block mean/max |w|, or filter mean |w| (l1) / RMS (l2). */
    public static float[] importance(float[] w, WeightLayout.Groups groups, String criterion) {
        int n = groups.count();
        double[] acc = new double[n];
        int[] count = new int[n];
        boolean max = "max".equals(criterion);
        boolean l2 = "l2".equals(criterion);
        int[] g = groups.groupOf();
        for (int i = 0; i < w.length; i++) {
            double a = Math.abs(w[i]);
            if (max) {
                acc[g[i]] = Math.max(acc[g[i]], a);
            } else {
                acc[g[i]] += l2 ? a * a : a;
            }
            count[g[i]]++;
        }
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            double v = max ? acc[k] : acc[k] / Math.max(1, count[k]);
            out[k] = (float) (l2 ? Math.sqrt(v) : v);
        }
        return out;
    }

    /** Which groups survive: a threshold removes groups with importance below it. */
    public static boolean[] keepByThreshold(float[] importance, double threshold) {
        boolean[] keep = new boolean[importance.length];
        for (int k = 0; k < importance.length; k++) {
            keep[k] = importance[k] >= threshold;
        }
        return keep;
    }

    /** Which groups survive: the {@code round(sparsity·groups)} least important are removed (ties by index). */
    public static boolean[] keepBySparsity(float[] importance, double sparsity) {
        int n = importance.length;
        int remove = (int) Math.round(sparsity * n);
        boolean[] keep = new boolean[n];
        Arrays.fill(keep, true);
        if (remove <= 0) {
            return keep;
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Float.compare(importance[a], importance[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int i = 0; i < Math.min(remove, n); i++) {
            keep[idx[i]] = false;
        }
        return keep;
    }

    /** The per-weight mask for a setting: true = kept. */
    public static boolean[] mask(float[] w, WeightLayout layout, PruneSetting s) {
        WeightLayout.Groups groups = layout.groups(s.granularity(), BlockShape.parse(s.blockShape()));
        float[] imp = importance(w, groups, s.criterion());
        boolean[] keepGroup = s.threshold() != null ? keepByThreshold(imp, s.threshold())
                : keepBySparsity(imp, s.sparsity());
        boolean[] keep = new boolean[w.length];
        int[] g = groups.groupOf();
        for (int i = 0; i < w.length; i++) {
            keep[i] = keepGroup[g[i]];
        }
        return keep;
    }

    /** Fraction of weights a threshold would remove. */
    public static double sparsityAt(float[] w, WeightLayout layout, PruneSetting s, double threshold) {
        return sparsity(mask(w, layout, s.withThreshold(threshold)));
    }

    /** The threshold that reaches a target sparsity: the importance of the least important kept group. */
    public static double thresholdFor(float[] w, WeightLayout layout, PruneSetting s, double sparsity) {
        WeightLayout.Groups groups = layout.groups(s.granularity(), BlockShape.parse(s.blockShape()));
        float[] imp = importance(w, groups, s.criterion()).clone();
        Arrays.sort(imp);
        int remove = (int) Math.round(sparsity * imp.length);
        if (remove <= 0) {
            return 0;
        }
        if (remove >= imp.length) {
            return Math.nextUp(imp[imp.length - 1]);
        }
        return imp[remove];
    }

    /** Fraction of false entries. */
    public static double sparsity(boolean[] keep) {
        int removed = 0;
        for (boolean k : keep) {
            if (!k) {
                removed++;
            }
        }
        return keep.length == 0 ? 0 : (double) removed / keep.length;
    }
}
