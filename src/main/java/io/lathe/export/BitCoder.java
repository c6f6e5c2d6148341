package io.lathe.export;

/**
 * One side of the range coder behind a single interface, so the packed format's modelling code is
 * written once and runs both ways: when encoding, every call codes the value given and returns it;
 * when decoding, the value argument is ignored and the decoded value is returned.
 */
interface BitCoder {
    /** Codes (or decodes) one bit with an adaptive probability. */
    int bit(short[] probs, int index, int bit) throws PackedFormatException;

    /** Codes (or decodes) a {@code bits}-bit value through a tree of adaptive probabilities at {@code base}. */
    int tree(short[] probs, int base, int bits, int value) throws PackedFormatException;

    /** Codes (or decodes) a {@code bits}-bit value without a model. */
    long direct(long value, int bits) throws PackedFormatException;

    /** True when this coder decodes. */
    boolean decoding();

    /** The encoding side. */
    static BitCoder of(RangeEncoder e) {
        return new BitCoder() {
            @Override
            public int bit(short[] probs, int index, int bit) {
                e.bit(probs, index, bit);
                return bit;
            }

            @Override
            public int tree(short[] probs, int base, int bits, int value) {
                e.tree(probs, base, bits, value);
                return value;
            }

            @Override
            public long direct(long value, int bits) {
                e.direct(value, bits);
                return value;
            }

            @Override
            public boolean decoding() {
                return false;
            }
        };
    }

    /** The decoding side. */
    static BitCoder of(RangeDecoder d) {
        return new BitCoder() {
            @Override
            public int bit(short[] probs, int index, int bit) throws PackedFormatException {
                return d.bit(probs, index);
            }

            @Override
            public int tree(short[] probs, int base, int bits, int value) throws PackedFormatException {
                return d.tree(probs, base, bits);
            }

            @Override
            public long direct(long value, int bits) throws PackedFormatException {
                return d.direct(bits);
            }

            @Override
            public boolean decoding() {
                return true;
            }
        };
    }
}
