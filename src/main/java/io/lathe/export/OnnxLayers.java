package io.lathe.export;

import io.lathe.compress.WeightLayout;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/** The ONNX nodes of single DL4J layers (fp32 and QDQ INT8), used by {@link OnnxExporter}. */
final class OnnxLayers {
    private OnnxLayers() {
    }

    /** A Conv node; in INT8 mode with int8 per-channel weights and an int32 bias behind DequantizeLinear. */
    static String conv(OnnxExporter ex, String v, ConvolutionLayer c, String x, String inputVertex) {
        if (c.getConvolutionMode() == ConvolutionMode.Causal) {
            throw new IllegalArgumentException("ONNX export: layer '" + v + "' uses causal convolution mode");
        }
        INDArray w = ex.graph().getLayer(v).getParam("W");
        INDArray b = c.hasBias() ? ex.graph().getLayer(v).getParam("b") : null;
        long[] shape = w.shape();
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] d = c.getDilation();
        long[] pads = pads(ex, c.getConvolutionMode(), c.getPadding(), k, s, d, inputVertex);
        List<String> inputs = new ArrayList<>();
        inputs.add(x);
        float[] wf = w.dup('c').data().asFloat();
        float[] bf = b == null ? null : b.dup('c').data().asFloat();
        OnnxExporter.Int8 int8 = ex.int8Spec();
        if (int8 == null) {
            ex.add(OnnxProto.floats(v + ".W", shape, wf));
            inputs.add(v + ".W");
            if (bf != null) {
                ex.add(OnnxProto.floats(v + ".B", new long[]{shape[0]}, bf));
                inputs.add(v + ".B");
            }
        } else {
            Float sx = ex.dqScaleOf(x);
            if (sx == null) {
                throw new IllegalStateException("convolution " + v + " input is not quantized");
            }
            Int8Weights q = Int8Weights.of(wf, WeightLayout.of(shape), int8.codings().get(v));
            ex.add(OnnxProto.bytes(v + ".Wq", shape, Onnx.TensorProto.DataType.INT8, q.codes()));
            ex.add(OnnxProto.floats(v + ".Ws", new long[]{shape[0]}, q.scales()));
            ex.add(OnnxProto.bytes(v + ".Wz", new long[]{shape[0]}, Onnx.TensorProto.DataType.INT8, new byte[(int) shape[0]]));
            ex.add(OnnxProto.node("DequantizeLinear", v + ".Wdq", List.of(v + ".Wq", v + ".Ws", v + ".Wz"), v + ".W",
                    OnnxProto.integer("axis", 0)));
            inputs.add(v + ".W");
            if (bf != null) {
                int[] bq = new int[bf.length];
                float[] bs = new float[bf.length];
                for (int o = 0; o < bf.length; o++) {
                    bs[o] = sx * q.scales()[o];
                    bq[o] = bs[o] == 0 ? 0 : (int) Math.max(Integer.MIN_VALUE + 1L,
                            Math.min(Integer.MAX_VALUE, Math.round((double) bf[o] / bs[o])));
                }
                ex.add(OnnxProto.int32s(v + ".Bq", new long[]{bf.length}, bq));
                ex.add(OnnxProto.floats(v + ".Bs", new long[]{bf.length}, bs));
                ex.add(OnnxProto.int32s(v + ".Bz", new long[]{bf.length}, new int[bf.length]));
                ex.add(OnnxProto.node("DequantizeLinear", v + ".Bdq", List.of(v + ".Bq", v + ".Bs", v + ".Bz"), v + ".B",
                        OnnxProto.integer("axis", 0)));
                inputs.add(v + ".B");
            }
        }
        ex.add(OnnxProto.node("Conv", v, inputs, v,
                OnnxProto.ints("kernel_shape", k[0], k[1]), OnnxProto.ints("strides", s[0], s[1]),
                OnnxProto.ints("dilations", d[0], d[1]), OnnxProto.ints("pads", pads)));
        return v;
    }

    /** ONNX pads {@code [top, left, bottom, right]} of a DL4J convolution or pooling layer. */
    private static long[] pads(OnnxExporter ex, ConvolutionMode mode, int[] p, int[] k, int[] s, int[] d, String inputVertex) {
        if (mode != ConvolutionMode.Same) {
            return new long[]{p[0], p[1], p[0], p[1]};
        }
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) ex.typeOf(inputVertex);
        long[] hw = {in.getHeight(), in.getWidth()};
        long[] pads = new long[4];
        for (int a = 0; a < 2; a++) {
            long out = (hw[a] + s[a] - 1) / s[a];
            long total = Math.max(0, (out - 1) * s[a] + (long) (k[a] - 1) * d[a] + 1 - hw[a]);
            pads[a] = total / 2;
            pads[a + 2] = total - total / 2;
        }
        return pads;
    }

    /** A MaxPool or AveragePool node for a DL4J subsampling layer. */
    static String pool(OnnxExporter ex, String v, SubsamplingLayer l, String x, String inputVertex) {
        String op = l.getPoolingType() == PoolingType.MAX ? "MaxPool" : l.getPoolingType() == PoolingType.AVG ? "AveragePool" : null;
        int[] d = l.getDilation();
        if (op == null || (d != null && (d[0] != 1 || d[1] != 1)) || l.getConvolutionMode() == ConvolutionMode.Causal) {
            throw new IllegalArgumentException("ONNX export: layer '" + v + "' (" + l.getPoolingType()
                    + " pooling, mode " + l.getConvolutionMode() + ") is not supported; Lathe exports max and average pooling");
        }
        int[] k = l.getKernelSize();
        int[] s = l.getStride();
        long[] pads = pads(ex, l.getConvolutionMode(), l.getPadding(), k, s, new int[]{1, 1}, inputVertex);
        boolean padded = java.util.Arrays.stream(pads).anyMatch(p -> p != 0);
        if (op.equals("AveragePool") && padded && l.getConvolutionMode() == ConvolutionMode.Same) {
            throw new IllegalArgumentException("ONNX export: layer '" + v + "' (average pooling in Same mode with padding) "
                    + "is not supported");
        }
        List<Onnx.AttributeProto> attrs = new ArrayList<>(List.of(OnnxProto.ints("kernel_shape", k[0], k[1]),
                OnnxProto.ints("strides", s[0], s[1]), OnnxProto.ints("pads", pads)));
        if (op.equals("AveragePool")) {
            attrs.add(OnnxProto.integer("count_include_pad", l.isAvgPoolIncludePadInDivisor() ? 1 : 0));
        }
        ex.add(OnnxProto.node(op, v, List.of(x), v, attrs.toArray(new Onnx.AttributeProto[0])));
        if (op.equals("MaxPool")) {
            ex.carryScale(x, v);
        }
        return v;
    }

    /** A Pad node (zeros) for a DL4J zero-padding layer ({@code [top, bottom, left, right]}). */
    static String zeroPad(OnnxExporter ex, String v, ZeroPaddingLayer l, String x) {
        int[] p = l.getPadding();
        ex.add(OnnxProto.int64s(v + ".pads", new long[]{8}, new long[]{0, 0, p[0], p[2], 0, 0, p[1], p[3]}));
        ex.add(OnnxProto.node("Pad", v, List.of(x, v + ".pads"), v));
        ex.carryScale(x, v);
        return v;
    }

    /** A standalone (unfolded) BN as BatchNormalization with the folded factor and shift (mean 0, variance 1, ε 0). */
    static String batchNorm(OnnxExporter ex, String v, String x) {
        float[][] st = BatchNormFolding.scaleShift(ex.graph(), v);
        int n = st[0].length;
        float[] zeros = new float[n];
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        ex.add(OnnxProto.floats(v + ".scale", new long[]{n}, st[0]));
        ex.add(OnnxProto.floats(v + ".shift", new long[]{n}, st[1]));
        ex.add(OnnxProto.floats(v + ".mean", new long[]{n}, zeros));
        ex.add(OnnxProto.floats(v + ".var", new long[]{n}, ones));
        ex.add(OnnxProto.node("BatchNormalization", v, List.of(x, v + ".scale", v + ".shift", v + ".mean", v + ".var"),
                v + ".bn", OnnxProto.real("epsilon", 0f)));
        return v + ".bn";
    }

    /** A Gemm node for a dense or output layer ({@code x·W + b}, W as DL4J stores it: [nIn, nOut]). */
    static String gemm(OnnxExporter ex, String v, String x) {
        INDArray w = ex.graph().getLayer(v).getParam("W");
        INDArray b = ex.graph().getLayer(v).getParam("b");
        ex.add(OnnxProto.floats(v + ".W", w.shape(), w.dup('c').data().asFloat()));
        List<String> inputs = new ArrayList<>(List.of(x, v + ".W"));
        if (b != null) {
            ex.add(OnnxProto.floats(v + ".B", new long[]{b.length()}, b.dup('c').data().asFloat()));
            inputs.add(v + ".B");
        }
        ex.add(OnnxProto.node("Gemm", v + ".gemm", inputs, v + ".logits"));
        return v + ".logits";
    }
}
