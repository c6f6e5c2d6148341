package io.lathe.compress;

/**
 * One layer's compression settings. Fields left null inherit the plan's defaults (low-rank and
 * activation settings have no plan-wide default: null means off).
 *
 * @param prune      pruning, or null for the default
 * @param quant      quantization, or null for the default
 * @param locked     true if the user set this layer by hand: global changes and allocation leave it alone
 * @param share      weight sharing, or null for the default
 * @param lowRank    low-rank factorization of a weight layer, or null (off)
 * @param activation activation threshold of a ReLU layer, or null (off)
 */
public record LayerSettings(PruneSetting prune, QuantSetting quant, boolean locked, ShareSetting share,
                            LowRankSetting lowRank, ActivationSetting activation) {
    public static final LayerSettings INHERIT = new LayerSettings(null, null, false, null, null, null);

    public LayerSettings {
        lowRank = lowRank == null || lowRank.isNone() ? null : lowRank;
        activation = activation == null || activation.isNone() ? null : activation;
    }

    /** Settings without low-rank or activation settings. */
    public LayerSettings(PruneSetting prune, QuantSetting quant, boolean locked, ShareSetting share) {
        this(prune, quant, locked, share, null, null);
    }

    /** Settings without a weight sharing override. */
    public LayerSettings(PruneSetting prune, QuantSetting quant, boolean locked) {
        this(prune, quant, locked, null);
    }

    public LayerSettings withPrune(PruneSetting p) {
        return new LayerSettings(p, quant, locked, share, lowRank, activation);
    }

    public LayerSettings withQuant(QuantSetting q) {
        return new LayerSettings(prune, q, locked, share, lowRank, activation);
    }

    public LayerSettings withLocked(boolean l) {
        return new LayerSettings(prune, quant, l, share, lowRank, activation);
    }

    public LayerSettings withShare(ShareSetting s) {
        return new LayerSettings(prune, quant, locked, s, lowRank, activation);
    }

    public LayerSettings withLowRank(LowRankSetting r) {
        return new LayerSettings(prune, quant, locked, share, r, activation);
    }

    public LayerSettings withActivation(ActivationSetting a) {
        return new LayerSettings(prune, quant, locked, share, lowRank, a);
    }

    /** True if this entry carries nothing beyond the defaults. */
    public boolean isEmpty() {
        return prune == null && quant == null && share == null && lowRank == null && activation == null && !locked;
    }
}
