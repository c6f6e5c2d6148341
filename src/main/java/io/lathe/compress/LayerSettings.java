package io.lathe.compress;

/**
 * One layer's compression settings. Fields left null inherit the plan's defaults.
 *
 * @param prune  pruning, or null for the default
 * @param quant  quantization, or null for the default
 * @param locked true if the user set this layer by hand: global changes and allocation leave it alone
 * @param share  weight sharing, or null for the default
 */
public record LayerSettings(PruneSetting prune, QuantSetting quant, boolean locked, ShareSetting share) {
    public static final LayerSettings INHERIT = new LayerSettings(null, null, false, null);

    /** Settings without a weight sharing override. */
    public LayerSettings(PruneSetting prune, QuantSetting quant, boolean locked) {
        this(prune, quant, locked, null);
    }

    public LayerSettings withPrune(PruneSetting p) {
        return new LayerSettings(p, quant, locked, share);
    }

    public LayerSettings withQuant(QuantSetting q) {
        return new LayerSettings(prune, q, locked, share);
    }

    public LayerSettings withLocked(boolean l) {
        return new LayerSettings(prune, quant, l, share);
    }

    public LayerSettings withShare(ShareSetting s) {
        return new LayerSettings(prune, quant, locked, s);
    }

    /** True if this entry carries nothing beyond the defaults. */
    public boolean isEmpty() {
        return prune == null && quant == null && share == null && !locked;
    }
}
