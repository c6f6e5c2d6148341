package io.lathe.compress;

/**
 * One layer after compression: its effective weights (DL4J order) and what was done.
 *
 * @param name        layer name
 * @param layout      weight layout
 * @param weights     compressed weights in DL4J order (what the network computes with)
 * @param keep        per-weight mask in filters-major order (true = kept), or null if nothing pruned
 * @param prune       pruning applied
 * @param quant       quantization applied
 * @param scales      integer quantization scales (one per channel or one per tensor), empty otherwise
 * @param threshold   the importance threshold in effect (for sparsity settings: the one reached)
 * @param sparsity    fraction of weights that are zero after compression
 * @param nonZero     weights that are not zero
 */
public record CompressedLayer(String name, WeightLayout layout, float[] weights, boolean[] keep, PruneSetting prune,
                              QuantSetting quant, Quantizer.Scale[] scales, double threshold, double sparsity,
                              long nonZero) {

    /** Compresses one layer's original weights (DL4J order) under its settings. Pure. */
    public static CompressedLayer of(String name, long[] shape, float[] original, PruneSetting prune, QuantSetting quant) {
        WeightLayout layout = WeightLayout.of(shape);
        float[] f = layout.toFilters(original);
        boolean[] keep = null;
        double threshold = 0;
        if (!prune.isNone()) {
            keep = Pruner.mask(f, layout, prune);
            threshold = prune.threshold() != null ? prune.threshold()
                    : Pruner.thresholdFor(f, layout, prune, prune.sparsity());
            for (int i = 0; i < f.length; i++) {
                if (!keep[i]) {
                    f[i] = 0f;
                }
            }
        }
        Quantizer.Scale[] scales = Quantizer.quantize(f, layout, quant);
        if (keep != null) {
            for (int i = 0; i < f.length; i++) {
                if (!keep[i]) {
                    f[i] = 0f;
                }
            }
        }
        long nz = 0;
        for (float v : f) {
            if (v != 0f) {
                nz++;
            }
        }
        double sparsity = f.length == 0 ? 0 : 1.0 - (double) nz / f.length;
        return new CompressedLayer(name, layout, layout.toDl4j(f), keep, prune, quant, scales, threshold, sparsity, nz);
    }

    /** Output channels whose whole filter was removed (channel granularity), in filters-major terms. */
    public boolean[] removedChannels() {
        boolean[] removed = new boolean[layout.filters()];
        if (keep == null || prune.granularity() != Granularity.CHANNEL) {
            return removed;
        }
        int per = layout.perFilter();
        for (int o = 0; o < layout.filters(); o++) {
            removed[o] = !keep[o * per];
        }
        return removed;
    }

    /** Size in bits of this layer's weights under Lathe's stated encoding (see {@link SizeModel}). */
    public long sizeBits() {
        return SizeModel.weightBits(this);
    }
}
