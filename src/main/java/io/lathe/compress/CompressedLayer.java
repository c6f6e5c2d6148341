package io.lathe.compress;

/**
 * One layer after compression: its effective weights (DL4J order) and what was done.
 *
 * @param name        layer name
 * @param layout      weight layout
 * @param weights     compressed weights in DL4J order (what the network computes with)
 * @param keep        per-weight mask in filters-major order (true = kept), or null if nothing pruned
 * @param prune       pruning applied
 * @param quant       quantization applied ({@link QuantSetting#NONE} when the weights are shared)
 * @param scales      integer quantization scales (one per channel or one per tensor), empty otherwise
 * @param threshold   the importance threshold in effect (for sparsity settings: the one reached)
 * @param sparsity    fraction of weights that are zero after compression
 * @param nonZero     weights that are not zero
 * @param codebook    weight sharing codebook over the DL4J-order weights, or null when not shared
 */
public record CompressedLayer(String name, WeightLayout layout, float[] weights, boolean[] keep, PruneSetting prune,
                              QuantSetting quant, Quantizer.Scale[] scales, double threshold, double sparsity,
                              long nonZero, WeightSharing.Codebook codebook) {

    /** A layer without weight sharing. */
    public CompressedLayer(String name, WeightLayout layout, float[] weights, boolean[] keep, PruneSetting prune,
                           QuantSetting quant, Quantizer.Scale[] scales, double threshold, double sparsity,
                           long nonZero) {
        this(name, layout, weights, keep, prune, quant, scales, threshold, sparsity, nonZero, null);
    }

    /** Compresses one layer's original weights (DL4J order) under its settings. Pure. */
    public static CompressedLayer of(String name, long[] shape, float[] original, PruneSetting prune, QuantSetting quant) {
        return of(name, shape, original, prune, quant, ShareSetting.NONE, null);
    }

    /**
     * Compresses one layer's original weights (DL4J order). {@code channelKeep}, when given for a
     * channel-granularity setting, fixes which output channels survive (a coupling group's shared
     * choice, see {@link ChannelPlanner}); otherwise the layer's own ranking decides. Weight sharing,
     * when set, replaces quantization. Pure.
     */
    public static CompressedLayer of(String name, long[] shape, float[] original, PruneSetting prune, QuantSetting quant,
                                     ShareSetting share, boolean[] channelKeep) {
        WeightLayout layout = WeightLayout.of(shape);
        float[] f = layout.toFilters(original);
        boolean[] keep = null;
        double threshold = 0;
        if (!prune.isNone()) {
            if (channelKeep != null && prune.granularity() == Granularity.CHANNEL) {
                keep = expand(channelKeep, layout);
                threshold = keptImportanceFloor(f, layout, prune, channelKeep);
            } else {
                keep = Pruner.mask(f, layout, prune);
                threshold = prune.threshold() != null ? prune.threshold()
                        : Pruner.thresholdFor(f, layout, prune, prune.sparsity());
            }
            for (int i = 0; i < f.length; i++) {
                if (!keep[i]) {
                    f[i] = 0f;
                }
            }
        }
        boolean shared = share != null && !share.isNone();
        QuantSetting q = shared ? QuantSetting.NONE : quant;
        Quantizer.Scale[] scales = Quantizer.quantize(f, layout, q);
        if (keep != null) {
            for (int i = 0; i < f.length; i++) {
                if (!keep[i]) {
                    f[i] = 0f;
                }
            }
        }
        float[] dl4j = layout.toDl4j(f);
        WeightSharing.Codebook codebook = null;
        if (shared) {
            codebook = WeightSharing.cluster(dl4j, share.bits());
            dl4j = codebook.decode();
        }
        long nz = 0;
        for (float v : dl4j) {
            if (v != 0f) {
                nz++;
            }
        }
        double sparsity = dl4j.length == 0 ? 0 : 1.0 - (double) nz / dl4j.length;
        return new CompressedLayer(name, layout, dl4j, keep, prune, q, scales, threshold, sparsity, nz, codebook);
    }

    private static boolean[] expand(boolean[] channelKeep, WeightLayout layout) {
        if (channelKeep.length != layout.filters()) {
            throw new IllegalArgumentException("channel selection has " + channelKeep.length + " channels, layer has "
                    + layout.filters());
        }
        boolean[] keep = new boolean[layout.size()];
        int per = layout.perFilter();
        for (int i = 0; i < keep.length; i++) {
            keep[i] = channelKeep[i / per];
        }
        return keep;
    }

    /** The smallest own importance among kept channels: the threshold this layer effectively reached. */
    private static double keptImportanceFloor(float[] f, WeightLayout layout, PruneSetting prune, boolean[] channelKeep) {
        float[] imp = Pruner.importance(f, layout.groups(Granularity.CHANNEL, BlockShape.parse("1x1")),
                prune.criterion());
        double floor = Double.POSITIVE_INFINITY;
        for (int c = 0; c < imp.length; c++) {
            if (channelKeep[c]) {
                floor = Math.min(floor, imp[c]);
            }
        }
        return Double.isInfinite(floor) ? 0 : floor;
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

    /** Bits per stored weight: the sharing index width, else the quantization width. */
    public int effectiveBits() {
        return codebook != null ? codebook.bits() : quant.bits();
    }

    /** Size in bits of this layer's weights under Lathe's stated encoding (see {@link SizeModel}). */
    public long sizeBits() {
        return SizeModel.weightBits(this);
    }
}
