package io.lathe.compress;

import java.util.Arrays;

/**
 * Weight sharing by one-dimensional k-means (Han et al., Deep Compression): {@code 2^bits} centroids,
 * linearly initialised between the smallest and largest non-zero weight, refined by Lloyd iterations.
 * Zero (pruned) weights stay zero and carry no index. Pure functions.
 */
public final class WeightSharing {
    /** Lloyd iterations at most; 1-D k-means on a layer settles in far fewer. */
    public static final int MAX_ITERATIONS = 50;

    private WeightSharing() {
    }

    /**
     * A shared layer: the codebook and every weight's index into it.
     *
     * @param bits      index width
     * @param centroids the shared values, ascending after clustering (at most {@code 2^bits})
     * @param index     per weight (same order as the clustered array): centroid index, or -1 for a zero weight
     */
    public record Codebook(int bits, float[] centroids, int[] index) {
        public Codebook {
            if (centroids.length > (1 << bits)) {
                throw new IllegalArgumentException(centroids.length + " centroids do not fit " + bits + " bits");
            }
        }

        /** The weights the codebook represents. */
        public float[] decode() {
            float[] w = new float[index.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = index[i] < 0 ? 0f : centroids[index[i]];
            }
            return w;
        }

        /** Weights that carry an index (the non-zero ones). */
        public long indexed() {
            long n = 0;
            for (int k : index) {
                if (k >= 0) {
                    n++;
                }
            }
            return n;
        }

        /**
         * Fine-tuning step for the centroids, given weights a training step produced from the shared
         * ones: each centroid becomes the mean of its members' updated values (indices are kept). With
         * plain SGD this equals Deep Compression's update (centroid minus the learning rate times the
         * mean member gradient).
         */
        public Codebook refit(float[] updated) {
            double[] sum = new double[centroids.length];
            int[] count = new int[centroids.length];
            for (int i = 0; i < index.length; i++) {
                if (index[i] >= 0) {
                    sum[index[i]] += updated[i];
                    count[index[i]]++;
                }
            }
            float[] c = centroids.clone();
            for (int k = 0; k < c.length; k++) {
                if (count[k] > 0) {
                    c[k] = (float) (sum[k] / count[k]);
                }
            }
            return new Codebook(bits, c, index);
        }

        /** Deep Compression's centroid update from weight gradients: {@code c_k -= lr · Σ_{i∈k} g_i}. */
        public Codebook gradientStep(float[] gradients, double learningRate) {
            double[] sum = new double[centroids.length];
            for (int i = 0; i < index.length; i++) {
                if (index[i] >= 0) {
                    sum[index[i]] += gradients[i];
                }
            }
            float[] c = centroids.clone();
            for (int k = 0; k < c.length; k++) {
                c[k] = (float) (c[k] - learningRate * sum[k]);
            }
            return new Codebook(bits, c, index);
        }

        /** Bits of the codebook (fp32 per centroid) plus one index per non-zero weight. */
        public long sizeBits() {
            return 32L * centroids.length + (long) bits * indexed();
        }
    }

    /** Clusters the non-zero weights of {@code w} into at most {@code 2^bits} shared values. */
    public static Codebook cluster(float[] w, int bits) {
        if (bits < 1 || bits > 8) {
            throw new IllegalArgumentException("share bits must be 1..8, got " + bits);
        }
        int k = 1 << bits;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        int nonZero = 0;
        for (float v : w) {
            if (v != 0f) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                nonZero++;
            }
        }
        int[] index = new int[w.length];
        Arrays.fill(index, -1);
        if (nonZero == 0) {
            return new Codebook(bits, new float[0], index);
        }
        float[] c = new float[k];
        for (int j = 0; j < k; j++) {
            c[j] = k == 1 ? (min + max) / 2 : min + (max - min) * j / (k - 1);
        }
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            boolean changed = assign(w, c, index);
            double[] sum = new double[k];
            int[] count = new int[k];
            for (int i = 0; i < w.length; i++) {
                if (index[i] >= 0) {
                    sum[index[i]] += w[i];
                    count[index[i]]++;
                }
            }
            for (int j = 0; j < k; j++) {
                if (count[j] > 0) {
                    c[j] = (float) (sum[j] / count[j]);
                }
            }
            Arrays.sort(c);
            if (!changed && it > 0) {
                break;
            }
        }
        assign(w, c, index);
        return compact(bits, c, index);
    }

    /** Assigns each non-zero weight to its nearest centroid ({@code c} ascending); true if any changed. */
    private static boolean assign(float[] w, float[] c, int[] index) {
        boolean changed = false;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0f) {
                continue;
            }
            int pos = Arrays.binarySearch(c, w[i]);
            int best;
            if (pos >= 0) {
                best = pos;
            } else {
                int hi = -pos - 1;
                int lo = hi - 1;
                if (hi >= c.length) {
                    best = c.length - 1;
                } else if (lo < 0) {
                    best = 0;
                } else {
                    best = (w[i] - c[lo]) <= (c[hi] - w[i]) ? lo : hi;
                }
            }
            if (index[i] != best) {
                index[i] = best;
                changed = true;
            }
        }
        return changed;
    }

    /** Drops centroids no weight uses, renumbering the indices. */
    private static Codebook compact(int bits, float[] c, int[] index) {
        int[] count = new int[c.length];
        for (int k : index) {
            if (k >= 0) {
                count[k]++;
            }
        }
        int[] remap = new int[c.length];
        int used = 0;
        for (int j = 0; j < c.length; j++) {
            remap[j] = count[j] > 0 ? used++ : -1;
        }
        float[] out = new float[used];
        for (int j = 0; j < c.length; j++) {
            if (remap[j] >= 0) {
                out[remap[j]] = c[j];
            }
        }
        int[] idx = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            idx[i] = index[i] < 0 ? -1 : remap[index[i]];
        }
        return new Codebook(bits, out, idx);
    }
}
