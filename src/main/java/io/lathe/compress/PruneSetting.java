package io.lathe.compress;

import java.util.Objects;

/**
 * How one layer is pruned: by an absolute importance threshold (weights or groups whose importance
 * is below it are removed) or by a target sparsity (fraction removed), never both.
 * Importance: |w| for elements; mean or max |w| of a block; for channels the mean |w| (L1 per weight)
 * or RMS (L2 per weight) of the filter, so thresholds read on the same scale as weights.
 *
 * @param granularity element, block or channel
 * @param threshold   absolute threshold, or null when sparsity is set
 * @param sparsity    fraction in [0, 1) to remove, or null when threshold is set
 * @param blockShape  block rows×cols within each filter's flattened weights (block granularity)
 * @param criterion   "mean" or "max" for blocks, "l1" or "l2" for channels
 */
public record PruneSetting(Granularity granularity, Double threshold, Double sparsity, String blockShape,
                           String criterion) {
    /** No pruning. */
    public static final PruneSetting NONE = new PruneSetting(Granularity.ELEMENT, null, 0.0, "1x4", null);

    public PruneSetting {
        Objects.requireNonNull(granularity);
        if ((threshold == null) == (sparsity == null)) {
            throw new IllegalArgumentException("a prune setting has either a threshold or a sparsity");
        }
        if (threshold != null && (threshold.isNaN() || threshold < 0)) {
            throw new IllegalArgumentException("threshold must be >= 0, got " + threshold);
        }
        if (sparsity != null && (sparsity.isNaN() || sparsity < 0 || sparsity >= 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        blockShape = blockShape == null ? "1x4" : blockShape;
        BlockShape.parse(blockShape);
        if (criterion == null) {
            criterion = granularity == Granularity.CHANNEL ? "l1" : "mean";
        }
        if (!(criterion.equals("mean") || criterion.equals("max") || criterion.equals("l1") || criterion.equals("l2"))) {
            throw new IllegalArgumentException("criterion must be mean, max, l1 or l2, got " + criterion);
        }
    }

    /** Prune to a target sparsity. */
    public static PruneSetting sparsity(Granularity g, double s) {
        return new PruneSetting(g, null, s, "1x4", null);
    }

    /** Prune below an absolute threshold. */
    public static PruneSetting threshold(Granularity g, double t) {
        return new PruneSetting(g, t, null, "1x4", null);
    }

    /** True if this setting removes nothing. */
    public boolean isNone() {
        return (sparsity != null && sparsity == 0.0) || (threshold != null && threshold == 0.0);
    }

    public PruneSetting withGranularity(Granularity g) {
        return new PruneSetting(g, threshold, sparsity, blockShape, g == granularity ? criterion : null);
    }

    public PruneSetting withSparsity(double s) {
        return new PruneSetting(granularity, null, s, blockShape, criterion);
    }

    public PruneSetting withThreshold(double t) {
        return new PruneSetting(granularity, t, null, blockShape, criterion);
    }

    public PruneSetting withBlockShape(String shape) {
        return new PruneSetting(granularity, threshold, sparsity, shape, criterion);
    }
}
