package io.lathe.compress;

import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;

/**
 * The arithmetic of low-rank factorization by truncated SVD, on weight arrays in DL4J order (no
 * network involved). A dense layer {@code W[in][out]} becomes {@code A[in][r] · B[r][out]}; a k×k
 * convolution {@code W[o][i][kh][kw]} becomes a kh×1 convolution {@code A[r][i][kh][1]} followed by a
 * 1×kw one {@code B[o][r][1][kw]} (spatial SVD, Jaderberg et al. / Tai et al.); a 1×1 convolution two
 * 1×1 convolutions (channel SVD). Each factor carries the square root of the singular values, so the
 * two have comparable magnitudes. {@link #combine} gives the single weight tensor the two factors
 * compute together, which is how a factorized layer is previewed inside the unchanged network.
 */
public final class Factorization {
    private Factorization() {
    }

    /** How a layer is factorized. */
    public enum Mode { DENSE, SPATIAL, CHANNEL }

    /**
     * The two factors of one layer.
     *
     * @param mode        how the layer was factorized
     * @param rank        the bottleneck width
     * @param energy      fraction of the spectrum's energy the rank keeps
     * @param firstShape  DL4J shape of the first factor
     * @param first       its weights, DL4J order
     * @param secondShape DL4J shape of the second factor (keeps the layer's name, bias and activation)
     * @param second      its weights, DL4J order
     */
    public record Factors(Mode mode, int rank, double energy, long[] firstShape, float[] first, long[] secondShape,
                          float[] second) {
    }

    /** The factorization mode of a layer, or null if Lathe cannot factorize it. */
    public static Mode modeOf(LayerInfo l) {
        if (l.kind() == LayerKind.DENSE || l.kind() == LayerKind.OUTPUT) {
            return Mode.DENSE;
        }
        if (l.kind() == LayerKind.CONV) {
            return l.kernel()[0] == 1 && l.kernel()[1] == 1 ? Mode.CHANNEL : Mode.SPATIAL;
        }
        return null;
    }

    /** The mode of a weight tensor by its shape: 2-d dense, 1×1 channel, otherwise spatial. */
    public static Mode modeOf(long[] shape) {
        if (shape.length == 2) {
            return Mode.DENSE;
        }
        return shape[2] == 1 && shape[3] == 1 ? Mode.CHANNEL : Mode.SPATIAL;
    }

    /** Weights added by each unit of rank. */
    public static long perRank(long[] shape, Mode mode) {
        return mode == Mode.SPATIAL ? shape[1] * shape[2] + shape[0] * shape[3] : shape[0] + shape[1];
    }

    /** The largest rank whose factors store fewer weights than the layer (0 if none does). */
    public static int breakEvenRank(long[] shape, Mode mode) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        return (int) Math.max(0, (size - 1) / perRank(shape, mode));
    }

    /**
     * The rank a setting asks for on a layer: its rank (refused above full rank), or for an energy
     * the smallest rank keeping it, capped at the break-even rank (and at least 1).
     */
    public static int rankFor(LowRankSetting setting, double[] energy, long[] shape, Mode mode, String layer) {
        int full = energy.length;
        if (setting.rank() != null) {
            if (setting.rank() > full) {
                throw new IllegalArgumentException("rank " + setting.rank() + " for '" + layer + "' is above its full rank "
                        + full + ": choose 1.." + full);
            }
            return setting.rank();
        }
        int r = full;
        for (int k = 0; k < full; k++) {
            if (energy[k] >= setting.energy() - 1e-12) {
                r = k + 1;
                break;
            }
        }
        return Math.max(1, Math.min(r, Math.max(1, breakEvenRank(shape, mode))));
    }

    /**
     * The matrix whose SVD factorizes a weight tensor: dense {@code W[in][out]}; channel SVD
     * {@code M[i][o] = W[o,i]}; spatial SVD {@code M[(i,dy)][(o,dx)] = W[o,i,dy,dx]}.
     */
    public static double[][] matrix(float[] v, long[] s, Mode mode) {
        if (mode == Mode.DENSE) {
            int in = (int) s[0];
            int out = (int) s[1];
            double[][] m = new double[in][out];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    m[i][o] = v[i * out + o];
                }
            }
            return m;
        }
        int o = (int) s[0];
        int in = (int) s[1];
        int kh = (int) s[2];
        int kw = (int) s[3];
        int rh = mode == Mode.SPATIAL ? kh : kh * kw;
        int cw = mode == Mode.SPATIAL ? kw : 1;
        double[][] m = new double[in * rh][o * cw];
        for (int a = 0; a < o; a++) {
            for (int i = 0; i < in; i++) {
                for (int dy = 0; dy < kh; dy++) {
                    for (int dx = 0; dx < kw; dx++) {
                        m[i * rh + dy][a * cw + dx] = v[((a * in + i) * kh + dy) * kw + dx];
                    }
                }
            }
        }
        return m;
    }

    /** The SVD of a weight tensor (DL4J order). */
    public static Svd svd(float[] weights, long[] shape, Mode mode) {
        return Svd.of(matrix(weights, shape, mode));
    }

    /** Shapes of the two factors at {@code rank}. */
    public static long[][] factorShapes(long[] shape, Mode mode, int rank) {
        return switch (mode) {
            case DENSE -> new long[][]{{shape[0], rank}, {rank, shape[1]}};
            case CHANNEL -> new long[][]{{rank, shape[1], 1, 1}, {shape[0], rank, 1, 1}};
            case SPATIAL -> new long[][]{{rank, shape[1], shape[2], 1}, {shape[0], rank, 1, shape[3]}};
        };
    }

    /** The two factors at {@code rank} from a decomposition of a tensor of {@code shape}. */
    public static Factors factor(Svd svd, long[] shape, Mode mode, int rank) {
        double[][] u = svd.u();
        double[][] v = svd.v();
        double[] s = svd.s();
        if (rank < 1 || rank > s.length) {
            throw new IllegalArgumentException("rank must be 1.." + s.length + ", got " + rank);
        }
        long[][] shapes = factorShapes(shape, mode, rank);
        double energy = svd.energy()[rank - 1];
        if (mode == Mode.DENSE) {
            int in = (int) shape[0];
            int out = (int) shape[1];
            float[] w1 = new float[in * rank];
            float[] w2 = new float[rank * out];
            for (int r = 0; r < rank; r++) {
                double root = Math.sqrt(s[r]);
                for (int i = 0; i < in; i++) {
                    w1[i * rank + r] = (float) (u[r][i] * root);
                }
                for (int o = 0; o < out; o++) {
                    w2[r * out + o] = (float) (v[r][o] * root);
                }
            }
            return new Factors(mode, rank, energy, shapes[0], w1, shapes[1], w2);
        }
        int o = (int) shape[0];
        int in = (int) shape[1];
        int kh = mode == Mode.SPATIAL ? (int) shape[2] : 1;
        int kw = mode == Mode.SPATIAL ? (int) shape[3] : 1;
        float[] w1 = new float[rank * in * kh];
        float[] w2 = new float[o * rank * kw];
        for (int r = 0; r < rank; r++) {
            double root = Math.sqrt(s[r]);
            for (int i = 0; i < in; i++) {
                for (int dy = 0; dy < kh; dy++) {
                    w1[(r * in + i) * kh + dy] = (float) (u[r][i * kh + dy] * root);
                }
            }
            for (int a = 0; a < o; a++) {
                for (int dx = 0; dx < kw; dx++) {
                    w2[(a * rank + r) * kw + dx] = (float) (v[r][a * kw + dx] * root);
                }
            }
        }
        return new Factors(mode, rank, energy, shapes[0], w1, shapes[1], w2);
    }

    /**
     * The single weight tensor (DL4J order, the layer's original {@code shape}) that the two factors
     * compute together; sums in double precision.
     */
    public static float[] combine(long[] shape, Mode mode, int rank, float[] first, float[] second) {
        if (mode == Mode.DENSE) {
            int in = (int) shape[0];
            int out = (int) shape[1];
            float[] w = new float[in * out];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    double sum = 0;
                    for (int r = 0; r < rank; r++) {
                        sum += (double) first[i * rank + r] * second[r * out + o];
                    }
                    w[i * out + o] = (float) sum;
                }
            }
            return w;
        }
        int o = (int) shape[0];
        int in = (int) shape[1];
        int kh = (int) shape[2];
        int kw = (int) shape[3];
        boolean spatial = mode == Mode.SPATIAL;
        float[] w = new float[o * in * kh * kw];
        for (int a = 0; a < o; a++) {
            for (int i = 0; i < in; i++) {
                for (int dy = 0; dy < kh; dy++) {
                    for (int dx = 0; dx < kw; dx++) {
                        double sum = 0;
                        for (int r = 0; r < rank; r++) {
                            float b = second[(a * rank + r) * (spatial ? kw : 1) + (spatial ? dx : 0)];
                            float f = first[(r * in + i) * (spatial ? kh : 1) + (spatial ? dy : 0)];
                            sum += (double) b * f;
                        }
                        w[((a * in + i) * kh + dy) * kw + dx] = (float) sum;
                    }
                }
            }
        }
        return w;
    }
}
