package io.lathe.export;

/**
 * Adaptive models for fp32 values coded byte by byte (sign and exponent bits first): sign and exponent
 * of trained parameters repeat a lot, mantissas hardly compress. One model per kind of parameter.
 */
final class FloatModel {
    private final short[] probs = RangeEncoder.models(4 * 256);

    /** Codes (or decodes) the raw bits of one float. */
    int code(BitCoder c, int bits) throws PackedFormatException {
        int v = 0;
        for (int j = 0; j < 4; j++) {
            int b = c.tree(probs, j * 256, 8, (bits >>> (24 - 8 * j)) & 0xFF);
            v = (v << 8) | b;
        }
        return v;
    }
}
