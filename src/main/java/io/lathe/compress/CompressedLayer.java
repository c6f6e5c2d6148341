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
 * @param factored    for a factorized layer, its two compressed factors ({@code weights} is then what they
 *                    compute together, in the layer's own shape); null otherwise
 */
public record CompressedLayer(String name, WeightLayout layout, float[] weights, boolean[] keep, PruneSetting prune,
                              QuantSetting quant, Quantizer.Scale[] scales, double threshold, double sparsity,
                              long nonZero, WeightSharing.Codebook codebook, Factored factored) {

    /**
     * The two factors of a factorized layer, each compressed under the layer's pruning, quantization
     * and sharing: {@code first} is the new layer {@code <name>.lowrank}, {@code second} keeps the name.
     *
     * @param mode   how the layer was factorized
     * @param rank   bottleneck width
     * @param energy fraction of the spectrum's energy the rank keeps (before the factors' own compression)
     * @param first  the first factor
     * @param second the second factor
     */
    public record Factored(Factorization.Mode mode, int rank, double energy, CompressedLayer first,
                           CompressedLayer second) {
    }

    /** A layer that is not factorized. */
    public CompressedLayer(String name, WeightLayout layout, float[] weights, boolean[] keep, PruneSetting prune,
                           QuantSetting quant, Quantizer.Scale[] scales, double threshold, double sparsity,
                           long nonZero, WeightSharing.Codebook codebook) {
        this(name, layout, weights, keep, prune, quant, scales, threshold, sparsity, nonZero, codebook, null);
    }

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

    /**
     * Factorizes one layer's original weights (DL4J order) at the setting's rank and compresses each
     * factor under the layer's pruning, quantization and sharing (channel pruning is refused: it and
     * factorization are alternatives). {@code svd} is the decomposition of {@code original}. Pure.
     */
    public static CompressedLayer factored(String name, long[] shape, float[] original, Svd svd, LowRankSetting lowRank,
                                           PruneSetting prune, QuantSetting quant, ShareSetting share) {
        if (!prune.isNone() && prune.granularity() == Granularity.CHANNEL) {
            throw new IllegalArgumentException("'" + name + "' has channel pruning and low-rank factorization: choose "
                    + "one (element or block pruning applies to the factors)");
        }
        Factorization.Mode mode = Factorization.modeOf(shape);
        int rank = Factorization.rankFor(lowRank, svd.energy(), shape, mode, name);
        int breakEven = Factorization.breakEvenRank(shape, mode);
        if (rank > Math.max(1, breakEven)) {
            throw new IllegalArgumentException("rank " + rank + " for '" + name + "' stores more weights than the layer "
                    + "itself: choose a rank of 1.." + Math.max(1, breakEven));
        }
        Factorization.Factors f = Factorization.factor(svd, shape, mode, rank);
        CompressedLayer first = of(name + ".lowrank", f.firstShape(), f.first(), prune, quant, share, null);
        CompressedLayer second = of(name, f.secondShape(), f.second(), prune, quant, share, null);
        float[] combined = Factorization.combine(shape, mode, rank, first.weights(), second.weights());
        long nz = first.nonZero() + second.nonZero();
        long size = original.length;
        double sparsity = size == 0 ? 0 : Math.max(0, 1.0 - (double) nz / size);
        return new CompressedLayer(name, WeightLayout.of(shape), combined, null, prune, second.quant(),
                new Quantizer.Scale[0], second.threshold(), sparsity, nz, null,
                new Factored(mode, rank, f.energy(), first, second));
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
        if (factored != null) {
            return factored.second().effectiveBits();
        }
        return codebook != null ? codebook.bits() : quant.bits();
    }

    /** Size in bits of this layer's weights under Lathe's stated encoding (see {@link SizeModel}); factors summed. */
    public long sizeBits() {
        if (factored != null) {
            return factored.first().sizeBits() + factored.second().sizeBits();
        }
        return SizeModel.weightBits(this);
    }

    /** The layers this one is exported as: its two factors when factorized, else itself. */
    public java.util.List<CompressedLayer> exportedLayers() {
        return factored != null ? java.util.List.of(factored.first(), factored.second()) : java.util.List.of(this);
    }
}
