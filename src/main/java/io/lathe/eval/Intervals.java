package io.lathe.eval;

/** Confidence intervals for accuracies measured on a sample. */
public final class Intervals {
    private Intervals() {
    }

    /** Half-width of the 95% Wilson score interval for a proportion {@code p} measured on {@code n} items. */
    public static double wilsonHalfWidth(double p, int n) {
        if (n <= 0) {
            return 1;
        }
        double z = 1.959964;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        return z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    }

    /**
     * Half-width of the 95% interval for the accuracy of the whole population of {@code population}
     * items when {@code n} were sampled without replacement (finite population correction).
     */
    public static double sampledHalfWidth(double p, int n, int population) {
        if (n >= population) {
            return 0;
        }
        double fpc = Math.sqrt((double) (population - n) / Math.max(1, population - 1));
        return wilsonHalfWidth(p, n) * fpc;
    }
}
