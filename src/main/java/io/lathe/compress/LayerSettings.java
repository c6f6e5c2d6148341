package io.lathe.compress;

/**
 * One layer's compression settings. Fields left null inherit the plan's defaults.
 *
 * @param prune  pruning, or null for the default
 * @param quant  quantization, or null for the default
 * @param locked true if the user set this layer by hand: global changes and allocation leave it alone
 */
public record LayerSettings(PruneSetting prune, QuantSetting quant, boolean locked) {
    public static final LayerSettings INHERIT = new LayerSettings(null, null, false);

    public LayerSettings withPrune(PruneSetting p) {
        return new LayerSettings(p, quant, locked);
    }

    public LayerSettings withQuant(QuantSetting q) {
        return new LayerSettings(prune, q, locked);
    }

    public LayerSettings withLocked(boolean l) {
        return new LayerSettings(prune, quant, l);
    }

    /** True if this entry carries nothing beyond the defaults. */
    public boolean isEmpty() {
        return prune == null && quant == null && !locked;
    }
}
