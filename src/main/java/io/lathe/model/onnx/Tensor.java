package io.lathe.model.onnx;

import java.util.Arrays;

/**
 * A constant ONNX tensor (an initializer, a Constant node or a value computed from shapes), held as
 * floats or as 64-bit integers. In integer tensors computed from {@code Shape}, {@link #BATCH} stands
 * for the symbolic batch dimension. Immutable by convention: the arrays are not copied.
 *
 * @param dims   the tensor's dimensions (empty for a scalar)
 * @param floats the values for float tensors, else null
 * @param longs  the values for integer tensors, else null
 */
record Tensor(long[] dims, float[] floats, long[] longs) {
    /** The batch dimension in shape values. */
    static final long BATCH = Long.MIN_VALUE;

    static Tensor ofFloats(long[] dims, float[] v) {
        return new Tensor(dims, v, null);
    }

    static Tensor ofLongs(long[] dims, long[] v) {
        return new Tensor(dims, null, v);
    }

    /** Number of elements. */
    int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** The values as floats (integers converted). */
    float[] asFloats() {
        if (floats != null) {
            return floats;
        }
        float[] f = new float[longs.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = longs[i];
        }
        return f;
    }

    /** The values as integers (floats truncated). */
    long[] asLongs() {
        if (longs != null) {
            return longs;
        }
        long[] l = new long[floats.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) floats[i];
        }
        return l;
    }

    /** The same values with other dimensions. */
    Tensor withDims(long[] newDims) {
        return new Tensor(newDims, floats, longs);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims) + (longs != null ? Arrays.toString(longs).replace(String.valueOf(BATCH), "N")
                : floats.length <= 8 ? Arrays.toString(floats) : floats.length + " floats");
    }
}
