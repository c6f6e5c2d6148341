package io.lathe.compress;

/**
 * How one layer's weights are quantized.
 *
 * @param bits       32 (off), 16 (FP16), or 2..8 (uniform integer)
 * @param perChannel one scale per output channel (true) or one per tensor
 * @param symmetric  symmetric around zero (true) or asymmetric with a zero point
 */
public record QuantSetting(int bits, boolean perChannel, boolean symmetric) {
    public static final QuantSetting NONE = new QuantSetting(32, true, true);

    public QuantSetting {
        if (!(bits == 32 || bits == 16 || (bits >= 2 && bits <= 8))) {
            throw new IllegalArgumentException("bits must be 32, 16 or 2..8, got " + bits);
        }
    }

    public static QuantSetting bits(int bits) {
        return new QuantSetting(bits, true, true);
    }

    /** True when weights stay fp32. */
    public boolean isNone() {
        return bits == 32;
    }

    /** True for integer quantization. */
    public boolean isInteger() {
        return bits <= 8;
    }

    public QuantSetting withBits(int b) {
        return new QuantSetting(b, perChannel, symmetric);
    }
}
