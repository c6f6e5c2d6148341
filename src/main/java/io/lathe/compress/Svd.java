package io.lathe.compress;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Singular value decomposition of a small dense matrix by one-sided Jacobi rotations (Hestenes), in
 * double precision: accurate to rounding for the layer-sized matrices Lathe factorizes (a few hundred
 * rows and columns). {@code A = U · diag(s) · Vᵀ} with {@code s} descending. Immutable result.
 *
 * @param u  left singular vectors, {@code u[j]} is column j (length rows)
 * @param s  singular values, descending, length {@code min(rows, cols)}
 * @param v  right singular vectors, {@code v[j]} is column j (length cols)
 */
public record Svd(double[][] u, double[] s, double[][] v) {
    private static final int MAX_SWEEPS = 60;

    /** Decomposes {@code a} (rows × cols, row-major {@code a[r][c]}). */
    public static Svd of(double[][] a) {
        int rows = a.length;
        int cols = a[0].length;
        if (rows < cols) {
            double[][] t = new double[cols][rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c][r] = a[r][c];
                }
            }
            Svd st = of(t);
            return new Svd(st.v, st.s, st.u);
        }
        double[][] w = new double[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                w[c][r] = a[r][c];
            }
        }
        double[][] vv = new double[cols][cols];
        for (int j = 0; j < cols; j++) {
            vv[j][j] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < cols - 1; p++) {
                for (int q = p + 1; q < cols; q++) {
                    double alpha = dot(w[p], w[p]);
                    double beta = dot(w[q], w[q]);
                    double gamma = dot(w[p], w[q]);
                    if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double sn = c * t;
                    rotate(w[p], w[q], c, sn);
                    rotate(vv[p], vv[q], c, sn);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] sv = new double[cols];
        for (int j = 0; j < cols; j++) {
            sv[j] = Math.sqrt(dot(w[j], w[j]));
        }
        Integer[] order = new Integer[cols];
        for (int j = 0; j < cols; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -sv[j]));
        double[][] u = new double[cols][];
        double[][] v = new double[cols][];
        double[] s = new double[cols];
        for (int k = 0; k < cols; k++) {
            int j = order[k];
            s[k] = sv[j];
            u[k] = w[j].clone();
            if (s[k] > 0) {
                for (int r = 0; r < rows; r++) {
                    u[k][r] /= s[k];
                }
            }
            v[k] = vv[j].clone();
        }
        return new Svd(u, s, v);
    }

    /** Cumulative energy: {@code e[r-1] = Σ_{i<r} s_i² / Σ s_i²}, the share kept at rank r. */
    public double[] energy() {
        double total = 0;
        for (double x : s) {
            total += x * x;
        }
        double[] e = new double[s.length];
        double acc = 0;
        for (int i = 0; i < s.length; i++) {
            acc += s[i] * s[i];
            e[i] = total == 0 ? 1 : acc / total;
        }
        return e;
    }

    private static double dot(double[] x, double[] y) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d += x[i] * y[i];
        }
        return d;
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            double b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }
}
