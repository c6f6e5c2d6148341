package io.lathe.compress;

/**
 * Whether a compression setting can make inference faster on this machine's dense kernels or only
 * makes the model smaller. Channel pruning and low-rank factorization change the shapes DL4J computes
 * with (latency-real, measured); element and block pruning, integer or FP16 quantization and weight
 * sharing leave the computed network dense fp32 (size-only); activation thresholds change neither.
 */
public enum SpeedClass {
    LATENCY_REAL("latency-real"), SIZE_ONLY("size-only"), NONE("none");

    private final String key;

    SpeedClass(String key) {
        this.key = key;
    }

    /** The label used in stats, reports and the tree ("latency-real", "size-only", "none"). */
    public String key() {
        return key;
    }

    /** The class of one layer's settings: the fastest-acting setting wins. */
    public static SpeedClass of(PruneSetting prune, QuantSetting quant, ShareSetting share) {
        if (prune != null && !prune.isNone() && prune.granularity() == Granularity.CHANNEL) {
            return LATENCY_REAL;
        }
        boolean prunes = prune != null && !prune.isNone();
        boolean quantizes = quant != null && !quant.isNone();
        boolean shares = share != null && !share.isNone();
        return prunes || quantizes || shares ? SIZE_ONLY : NONE;
    }

    /** The class of a layer under a plan. */
    public static SpeedClass of(Plan plan, String layer) {
        return of(plan.pruneOf(layer), plan.quantOf(layer), plan.shareOf(layer));
    }

    /** Low-rank factorization at {@code rank}: latency-real only when it saves work (below break-even). */
    public static SpeedClass ofLowRank(int rank, int breakEvenRank) {
        return rank <= breakEvenRank ? LATENCY_REAL : NONE;
    }
}
