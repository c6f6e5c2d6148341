package io.lathe.export;

/**
 * Decodes what {@link RangeEncoder} wrote, given the same sequence of models and calls. Reading past
 * the end of the input is an error ({@link PackedFormatException}). Not thread-safe.
 */
public final class RangeDecoder {
    private final byte[] in;
    private int pos;
    private final int end;
    private int range = 0xFFFFFFFF;
    private int code;

    /** Starts decoding {@code length} bytes of {@code in} from {@code offset}. */
    public RangeDecoder(byte[] in, int offset, int length) throws PackedFormatException {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        for (int i = 0; i < 5; i++) {
            code = (code << 8) | next();
        }
    }

    private int next() throws PackedFormatException {
        if (pos >= end) {
            throw new PackedFormatException("the coded data ends early (file truncated or damaged)");
        }
        return in[pos++] & 0xFF;
    }

    /** Decodes one bit with the adaptive probability {@code probs[index]}, adapting it as the encoder did. */
    public int bit(short[] probs, int index) throws PackedFormatException {
        int p = probs[index];
        int bound = (range >>> RangeEncoder.PROB_BITS) * p;
        int bit;
        if (Integer.compareUnsigned(code, bound) < 0) {
            range = bound;
            probs[index] = (short) (p + ((RangeEncoder.PROB_ONE - p) >>> RangeEncoder.ADAPT_SHIFT));
            bit = 0;
        } else {
            code -= bound;
            range -= bound;
            probs[index] = (short) (p - (p >>> RangeEncoder.ADAPT_SHIFT));
            bit = 1;
        }
        while (Integer.compareUnsigned(range, RangeEncoder.TOP) < 0) {
            range <<= 8;
            code = (code << 8) | next();
        }
        return bit;
    }

    /** Decodes a {@code bits}-bit value coded with {@link RangeEncoder#tree}. */
    public int tree(short[] probs, int base, int bits) throws PackedFormatException {
        int m = 1;
        for (int i = 0; i < bits; i++) {
            m = (m << 1) | bit(probs, base + m);
        }
        return m - (1 << bits);
    }

    /** Decodes a {@code bits}-bit value coded with {@link RangeEncoder#direct}. */
    public long direct(int bits) throws PackedFormatException {
        long v = 0;
        for (int i = 0; i < bits; i++) {
            range >>>= 1;
            int b = 0;
            if (Integer.compareUnsigned(code, range) >= 0) {
                code -= range;
                b = 1;
            }
            v = (v << 1) | b;
            while (Integer.compareUnsigned(range, RangeEncoder.TOP) < 0) {
                range <<= 8;
                code = (code << 8) | next();
            }
        }
        return v;
    }
}
