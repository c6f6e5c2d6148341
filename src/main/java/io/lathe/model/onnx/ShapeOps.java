package io.lathe.model.onnx;

import io.lathe.model.ModelLoadException;
import onnx.Onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Evaluates the constant parts of an ONNX graph at import time: Constant nodes and the small shape
 * computations exporters emit before a Reshape ({@code Shape → Gather → Unsqueeze → Concat}, Squeeze,
 * Cast). Results are {@link Tensor}s; the batch dimension stays symbolic ({@link Tensor#BATCH}).
 */
final class ShapeOps {
    private ShapeOps() {
    }

    /** The value of a Constant node. */
    static Tensor constant(Path file, Onnx.NodeProto n) throws ModelLoadException {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    return OnnxFile.decode(file, a.getT(), new HashMap<>());
                case "value_float":
                    return Tensor.ofFloats(new long[0], new float[]{a.getF()});
                case "value_floats": {
                    float[] v = new float[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    return Tensor.ofFloats(new long[]{v.length}, v);
                }
                case "value_int":
                    return Tensor.ofLongs(new long[0], new long[]{a.getI()});
                case "value_ints": {
                    long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                    return Tensor.ofLongs(new long[]{v.length}, v);
                }
                default:
                    break;
            }
        }
        return null;
    }

    /** Shape(x): the batch marker followed by the example's dimensions (opset 15 start/end honoured). */
    static Tensor shape(Onnx.NodeProto n, Act x) {
        long[] full = new long[x.shape().length + 1];
        full[0] = Tensor.BATCH;
        System.arraycopy(x.shape(), 0, full, 1, x.shape().length);
        int r = full.length;
        int start = (int) norm(Attrs.i(n, "start", 0), r);
        int end = (int) Math.min(r, norm(Attrs.i(n, "end", r), r));
        long[] v = Arrays.copyOfRange(full, Math.max(0, start), Math.max(start, end));
        return Tensor.ofLongs(new long[]{v.length}, v);
    }

    /** Gather on a 1-D constant along axis 0; null if the case is not supported. */
    static Tensor gather(Onnx.NodeProto n, Tensor data, Tensor indices) {
        if (data.dims().length != 1 || Attrs.i(n, "axis", 0) != 0 || data.longs() == null) {
            return null;
        }
        long[] idx = indices.asLongs();
        long[] out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = data.longs()[(int) norm(idx[i], data.size())];
        }
        return Tensor.ofLongs(indices.dims(), out);
    }

    /** Unsqueeze: inserts size-1 dimensions (axes from the attribute before opset 13, else the second input). */
    static Tensor unsqueeze(Tensor x, long[] axes) {
        int r = x.dims().length + axes.length;
        boolean[] one = new boolean[r];
        for (long a : axes) {
            one[(int) norm(a, r)] = true;
        }
        long[] dims = new long[r];
        int k = 0;
        for (int i = 0; i < r; i++) {
            dims[i] = one[i] ? 1 : x.dims()[k++];
        }
        return x.withDims(dims);
    }

    /** Squeeze: removes the given size-1 dimensions (all of them when {@code axes} is null). */
    static Tensor squeeze(Tensor x, long[] axes) {
        List<Long> dims = new ArrayList<>();
        int r = x.dims().length;
        for (int i = 0; i < r; i++) {
            final int axis = i;
            boolean drop = axes == null ? x.dims()[i] == 1
                    : Arrays.stream(axes).anyMatch(a -> norm(a, r) == axis);
            if (!drop) {
                dims.add(x.dims()[i]);
            }
        }
        return x.withDims(dims.stream().mapToLong(Long::longValue).toArray());
    }

    /** Concat of 1-D integer constants along axis 0; null if the case is not supported. */
    static Tensor concat(Onnx.NodeProto n, List<Tensor> parts) {
        long axis = Attrs.i(n, "axis", 0);
        if (axis != 0 && axis != -1) {
            return null;
        }
        List<Long> v = new ArrayList<>();
        for (Tensor t : parts) {
            if (t.dims().length != 1) {
                return null;
            }
            for (long x : t.asLongs()) {
                v.add(x);
            }
        }
        long[] out = v.stream().mapToLong(Long::longValue).toArray();
        return Tensor.ofLongs(new long[]{out.length}, out);
    }

    /** Cast to float or integer types; null for other target types. */
    static Tensor cast(Onnx.NodeProto n, Tensor x) {
        long to = Attrs.i(n, "to", 1);
        if (to == Onnx.TensorProto.DataType.FLOAT.getNumber() || to == Onnx.TensorProto.DataType.DOUBLE.getNumber()) {
            return Tensor.ofFloats(x.dims(), x.asFloats());
        }
        if (to == Onnx.TensorProto.DataType.INT64.getNumber() || to == Onnx.TensorProto.DataType.INT32.getNumber()) {
            return Tensor.ofLongs(x.dims(), x.asLongs());
        }
        return null;
    }

    /**
     * True if Reshape({@code x}, {@code target}) only flattens each example to {@code [batch, features]}
     * (the view exporters write before the classifier).
     */
    static boolean isFlatten(Act x, Tensor target, boolean allowZero, boolean batchIsOne) {
        long[] t = target.asLongs();
        if (t.length != 2) {
            return false;
        }
        boolean batch = t[0] == Tensor.BATCH || (t[0] == 0 && !allowZero) || (t[0] == 1 && batchIsOne)
                || (t[0] == -1 && t[1] == x.elements());
        return batch && (t[1] == -1 || t[1] == x.elements());
    }

    private static long norm(long axis, long rank) {
        return axis < 0 ? axis + rank : axis;
    }
}
