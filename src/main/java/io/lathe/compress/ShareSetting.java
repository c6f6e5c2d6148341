package io.lathe.compress;

/**
 * Weight sharing for one layer (Deep Compression's trained quantization): the layer's non-zero weights
 * are clustered by k-means into {@code 2^bits} shared values; the layer stores a codebook of those
 * values and one {@code bits}-wide index per kept weight. Replaces integer quantization where set.
 *
 * @param bits index width, 1..8 (2^bits centroids); 0 = off
 */
public record ShareSetting(int bits) {
    /** No sharing. */
    public static final ShareSetting NONE = new ShareSetting(0);

    public ShareSetting {
        if (bits < 0 || bits > 8) {
            throw new IllegalArgumentException("share bits must be 1..8 (or 0 = off), got " + bits);
        }
    }

    /** Sharing with {@code 2^bits} centroids. */
    public static ShareSetting bits(int bits) {
        return new ShareSetting(bits);
    }

    /** True when weights are not shared. */
    public boolean isNone() {
        return bits == 0;
    }

    /** Number of centroids. */
    public int centroids() {
        return 1 << bits;
    }
}
