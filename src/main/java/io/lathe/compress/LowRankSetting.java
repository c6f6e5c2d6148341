package io.lathe.compress;

/**
 * Low-rank factorization of one layer (truncated SVD; see {@code io.lathe.structure.LowRank}): a k×k
 * convolution becomes a k×1 convolution into {@code rank} channels and a 1×k one (spatial SVD), a 1×1
 * convolution or a dense layer two smaller ones through a rank-{@code rank} bottleneck. Exactly one of
 * {@code rank} and {@code energy} is given; an energy is resolved to the smallest rank that keeps that
 * fraction of the squared singular values, capped at the largest rank that still stores fewer weights
 * than the layer. The layer's pruning, quantization and sharing then apply to each of the two factors.
 *
 * @param rank   bottleneck width, or null when {@code energy} is given
 * @param energy fraction of the spectrum's energy to keep, in (0, 1], or null when {@code rank} is given
 */
public record LowRankSetting(Integer rank, Double energy) {
    /** Not factorized. */
    public static final LowRankSetting NONE = new LowRankSetting(null, null);

    public LowRankSetting {
        if (rank != null && energy != null) {
            throw new IllegalArgumentException("a low-rank setting gives a rank or an energy, not both");
        }
        if (rank != null && rank < 1) {
            throw new IllegalArgumentException("low-rank rank must be >= 1, got " + rank);
        }
        if (energy != null && !(energy > 0 && energy <= 1)) {
            throw new IllegalArgumentException("low-rank energy must be in (0, 1], got " + energy);
        }
    }

    /** Factorization at a fixed rank. */
    public static LowRankSetting rank(int rank) {
        return new LowRankSetting(rank, null);
    }

    /** Factorization at the smallest rank keeping {@code fraction} of the energy. */
    public static LowRankSetting energy(double fraction) {
        return new LowRankSetting(null, fraction);
    }

    /** True when the layer is not factorized. */
    public boolean isNone() {
        return rank == null && energy == null;
    }

    /** Short text for tables: "rank 8", "energy 90%" or "off". */
    public String describe() {
        return rank != null ? "rank " + rank : energy != null ? String.format("energy %.0f%%", 100 * energy) : "off";
    }
}
