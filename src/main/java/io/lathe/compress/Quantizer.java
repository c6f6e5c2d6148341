package io.lathe.compress;

/**
 * Weight quantization of one layer (filters-major, see {@link WeightLayout}): uniform integer 2-8 bits,
 * symmetric or asymmetric, per tensor or per output channel, and FP16. Returns the dequantized
 * values the network computes with. Zeros stay exact zeros.
 */
public final class Quantizer {
    private Quantizer() {
    }

    /** Quantization parameters of one channel (or the tensor): value = (code − zeroPoint) · scale. */
    public record Scale(float scale, int zeroPoint) {
    }

    /** Quantizes in place and returns the scales used (empty for 32 and 16 bits). */
    public static Scale[] quantize(float[] w, WeightLayout layout, QuantSetting q) {
        if (q.isNone()) {
            return new Scale[0];
        }
        if (q.bits() == 16) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Half.round(w[i]);
            }
            return new Scale[0];
        }
        int channels = q.perChannel() ? layout.filters() : 1;
        int per = w.length / channels;
        Scale[] scales = new Scale[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = quantizeRange(w, c * per, (c + 1) * per, q.bits(), q.symmetric());
        }
        return scales;
    }

    /** Integer codes for already-quantized values (for packing): code = round(v/scale) + zeroPoint. */
    public static int code(float v, Scale s) {
        return s.scale() == 0 ? s.zeroPoint() : Math.round(v / s.scale()) + s.zeroPoint();
    }

    static Scale quantizeRange(float[] w, int from, int to, int bits, boolean symmetric) {
        if (symmetric) {
            float maxAbs = 0;
            for (int i = from; i < to; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(w[i]));
            }
            int qmax = (1 << (bits - 1)) - 1;
            if (maxAbs == 0) {
                return new Scale(0f, 0);
            }
            float scale = maxAbs / qmax;
            for (int i = from; i < to; i++) {
                int code = Math.round(w[i] / scale);
                code = Math.max(-qmax, Math.min(qmax, code));
                w[i] = code * scale;
            }
            return new Scale(scale, 0);
        }
        float min = 0;
        float max = 0;
        for (int i = from; i < to; i++) {
            min = Math.min(min, w[i]);
            max = Math.max(max, w[i]);
        }
        int levels = (1 << bits) - 1;
        if (max == min) {
            return new Scale(0f, 0);
        }
        float scale = (max - min) / levels;
        int zp = Math.round(-min / scale);
        for (int i = from; i < to; i++) {
            int code = Math.round(w[i] / scale) + zp;
            code = Math.max(0, Math.min(levels, code));
            w[i] = (code - zp) * scale;
        }
        return new Scale(scale, zp);
    }

    /** IEEE 754 half precision rounding (round to nearest even), without Java 20's Float.floatToFloat16. */
    public static final class Half {
        private Half() {
        }

        /** The float nearest to {@code v} that FP16 can represent. */
        public static float round(float v) {
            return toFloat(fromFloat(v));
        }

        /** Encodes a float as FP16 bits. */
        public static short fromFloat(float f) {
            int bits = Float.floatToRawIntBits(f);
            int sign = (bits >>> 16) & 0x8000;
            int val = (bits & 0x7fffffff);
            if (val >= 0x7f800000) {
                return (short) (sign | (val > 0x7f800000 ? 0x7e00 : 0x7c00));
            }
            if (val >= 0x477ff000) {
                return (short) (sign | 0x7c00);
            }
            if (val < 0x38800000) {
                if (val < 0x33000000) {
                    return (short) sign;
                }
                int exp = val >>> 23;
                int mant = (val & 0x7fffff) | 0x800000;
                int shift = 126 - exp;
                int half = mant >>> shift;
                int rem = mant & ((1 << shift) - 1);
                int mid = 1 << (shift - 1);
                if (rem > mid || (rem == mid && (half & 1) != 0)) {
                    half++;
                }
                return (short) (sign | half);
            }
            int exp = ((val >>> 23) - 112) << 10;
            int mant = val & 0x7fffff;
            int half = exp | (mant >>> 13);
            int rem = mant & 0x1fff;
            if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }

        /** Decodes FP16 bits. */
        public static float toFloat(short h) {
            int bits = h & 0xffff;
            int sign = (bits & 0x8000) << 16;
            int exp = (bits >>> 10) & 0x1f;
            int mant = bits & 0x3ff;
            if (exp == 0) {
                if (mant == 0) {
                    return Float.intBitsToFloat(sign);
                }
                float v = mant / 1024f * (float) Math.pow(2, -14);
                return sign != 0 ? -v : v;
            }
            if (exp == 31) {
                return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
            }
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
    }
}
