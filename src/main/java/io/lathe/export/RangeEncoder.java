package io.lathe.export;

import java.io.ByteArrayOutputStream;

/**
 * A binary adaptive range coder (an arithmetic coder, in the style of LZMA's): each bit is coded with
 * a 12-bit probability that adapts after every bit, so the output approaches the entropy of the
 * modelled data. Pairs with {@link RangeDecoder}. Not thread-safe.
 */
public final class RangeEncoder {
    static final int PROB_BITS = 12;
    static final int PROB_ONE = 1 << PROB_BITS;
    static final int ADAPT_SHIFT = 5;
    static final int TOP = 1 << 24;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long low;
    private int range = 0xFFFFFFFF;
    private int cache;
    private long cacheSize = 1;

    /** A fresh set of {@code n} adaptive bit probabilities (all at one half). */
    public static short[] models(int n) {
        short[] p = new short[n];
        java.util.Arrays.fill(p, (short) (PROB_ONE / 2));
        return p;
    }

    /** Codes one bit with the adaptive probability {@code probs[index]}, then adapts it. */
    public void bit(short[] probs, int index, int bit) {
        int p = probs[index];
        int bound = (range >>> PROB_BITS) * p;
        if (bit == 0) {
            range = bound;
            probs[index] = (short) (p + ((PROB_ONE - p) >>> ADAPT_SHIFT));
        } else {
            low += bound & 0xFFFFFFFFL;
            range -= bound;
            probs[index] = (short) (p - (p >>> ADAPT_SHIFT));
        }
        while (Integer.compareUnsigned(range, TOP) < 0) {
            range <<= 8;
            shiftLow();
        }
    }

    /**
     * Codes the low {@code bits} bits of {@code value}, most significant first, through a binary tree of
     * adaptive probabilities starting at {@code probs[base]} (the tree uses {@code 2^bits} entries).
     */
    public void tree(short[] probs, int base, int bits, int value) {
        int m = 1;
        for (int i = bits - 1; i >= 0; i--) {
            int b = (value >>> i) & 1;
            bit(probs, base + m, b);
            m = (m << 1) | b;
        }
    }

    /** Codes the low {@code bits} bits of {@code value} with probability one half each (no model). */
    public void direct(long value, int bits) {
        for (int i = bits - 1; i >= 0; i--) {
            range >>>= 1;
            if (((value >>> i) & 1) != 0) {
                low += range & 0xFFFFFFFFL;
            }
            while (Integer.compareUnsigned(range, TOP) < 0) {
                range <<= 8;
                shiftLow();
            }
        }
    }

    private void shiftLow() {
        if (low < 0xFF000000L || low > 0xFFFFFFFFL) {
            int carry = (int) (low >>> 32);
            int temp = cache;
            do {
                out.write((temp + carry) & 0xFF);
                temp = 0xFF;
            } while (--cacheSize != 0);
            cache = (int) ((low >>> 24) & 0xFF);
        }
        cacheSize++;
        low = (low & 0x00FFFFFFL) << 8;
    }

    /** Bytes produced so far (pending carry bytes included): for per-tensor size accounting. */
    public long bytesSoFar() {
        return out.size() + cacheSize;
    }

    /** Flushes the coder and returns every byte written. The encoder must not be used afterwards. */
    public byte[] finish() {
        for (int i = 0; i < 5; i++) {
            shiftLow();
        }
        return out.toByteArray();
    }
}
