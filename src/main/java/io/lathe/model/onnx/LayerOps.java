package io.lathe.model.onnx;

import io.lathe.model.ModelLoadException;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.nd4j.linalg.activations.Activation;

import java.util.Arrays;

/**
 * The ONNX ops that become DL4J layers with weights or geometry: Conv (padding mapped to Same mode,
 * symmetric padding or a ZeroPaddingLayer), BatchNormalization, Max/AveragePool, Pad, Gemm, MatMul
 * and a constant Add folded into the bias of the layer before it.
 */
final class LayerOps {
    private final NodeTranslator t;

    LayerOps(NodeTranslator t) {
        this.t = t;
    }

    Act conv(Onnx.NodeProto n, int index) throws ModelLoadException {
        Act x = t.map(n, index, t.act(n, index, 0));
        Tensor w = t.constant(n, index, 1);
        if (w.dims().length != 4) {
            throw t.refuse(n, index, "a " + (w.dims().length - 2) + "-D convolution; Lathe imports 2-D convolutions");
        }
        long group = Attrs.i(n, "group", 1);
        if (group != 1) {
            throw t.refuse(n, index, "grouped convolution (group=" + group + ") is not supported");
        }
        long out = w.dims()[0];
        long in = w.dims()[1];
        if (in != x.shape()[0]) {
            throw t.refuse(n, index, "weights expect " + in + " input channels but the input has " + x.shape()[0]);
        }
        long[] k = {w.dims()[2], w.dims()[3]};
        long[] s = Attrs.ints(n, "strides", new long[]{1, 1});
        long[] d = Attrs.ints(n, "dilations", new long[]{1, 1});
        long[] hw = {x.shape()[1], x.shape()[2]};
        long[] pads = pads(n, index, hw, k, s, d);
        String base = LayerNames.weightName(n, index, n.getInput(1));
        DraftGraph draft = t.draft();
        String source = x.vertex();
        ConvolutionMode mode = ConvolutionMode.Truncate;
        int[] pad = {0, 0};
        if (d[0] == 1 && d[1] == 1 && Arrays.equals(pads, samePads(hw, k, s, d, true))) {
            mode = ConvolutionMode.Same;
        } else if (pads[0] == pads[2] && pads[1] == pads[3]) {
            pad = new int[]{(int) pads[0], (int) pads[1]};
        } else {
            String padName = draft.uniqueName(base + ".pad");
            draft.addLayer(padName, new ZeroPaddingLayer.Builder((int) pads[0], (int) pads[2], (int) pads[1], (int) pads[3])
                    .build(), null, source);
            source = padName;
        }
        long[] outHw = outSize(n, index, hw, k, s, d, pads, false);
        String name = draft.uniqueName(base);
        boolean bias = t.hasInput(n, 2);
        ConvolutionLayer c = new ConvolutionLayer.Builder((int) k[0], (int) k[1])
                .stride((int) s[0], (int) s[1]).dilation((int) d[0], (int) d[1]).padding(pad).convolutionMode(mode)
                .nIn(in).nOut(out).hasBias(bias).activation(Activation.IDENTITY).build();
        DraftGraph.Part p = draft.addLayer(name, c, n.getOutput(0), source);
        p.param("W", w.dims(), w.asFloats());
        if (bias) {
            Tensor b = t.constant(n, index, 2);
            p.param("b", new long[]{out}, b.asFloats());
        }
        return new Act(name, new long[]{out, outHw[0], outHw[1]}, false);
    }

    Act batchNorm(Onnx.NodeProto n, int index) throws ModelLoadException {
        Act x = t.unflattened(n, index, t.act(n, index, 0));
        if (Attrs.i(n, "training_mode", 0) != 0) {
            throw t.refuse(n, index, "training_mode=1; Lathe imports inference graphs");
        }
        if (Attrs.i(n, "spatial", 1) != 1) {
            throw t.refuse(n, index, "spatial=0 (per-position statistics) is not supported");
        }
        long c = x.shape()[0];
        String[] keys = {"gamma", "beta", "mean", "var"};
        float[][] v = new float[4][];
        for (int i = 0; i < 4; i++) {
            Tensor p = t.constant(n, index, i + 1);
            if (p.size() != c) {
                throw t.refuse(n, index, keys[i] + " has " + p.size() + " values for " + c + " channels");
            }
            v[i] = p.asFloats();
        }
        float eps = Attrs.f(n, "epsilon", 1e-5f);
        String name = t.draft().uniqueName(LayerNames.weightName(n, index, n.getInput(1)));
        DraftGraph.Part p = t.draft().addLayer(name, new BatchNormalization.Builder().nIn(c).nOut(c).eps(eps)
                .useLogStd(false).build(), n.getOutput(0), x.vertex());
        for (int i = 0; i < 4; i++) {
            p.param(keys[i], new long[]{c}, v[i]);
        }
        return new Act(name, x.shape(), x.ff());
    }

    Act pool(Onnx.NodeProto n, int index, PoolingType type) throws ModelLoadException {
        Act x = t.map(n, index, t.act(n, index, 0));
        long[] k = Attrs.ints(n, "kernel_shape", null);
        if (k == null || k.length != 2) {
            throw t.refuse(n, index, "kernel_shape must give 2 sizes");
        }
        long[] s = Attrs.ints(n, "strides", new long[]{1, 1});
        long[] d = Attrs.ints(n, "dilations", new long[]{1, 1});
        if (d[0] != 1 || d[1] != 1) {
            throw t.refuse(n, index, "dilated pooling is not supported");
        }
        long[] hw = {x.shape()[1], x.shape()[2]};
        long[] pads = pads(n, index, hw, k, s, d);
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            throw t.refuse(n, index, "asymmetric pooling pads " + Arrays.toString(pads) + " are not supported");
        }
        long[] outHw = outSize(n, index, hw, k, s, d, pads, false);
        if (Attrs.i(n, "ceil_mode", 0) != 0 && !Arrays.equals(outHw, outSize(n, index, hw, k, s, d, pads, true))) {
            throw t.refuse(n, index, "ceil_mode=1 changes the output size here (" + Arrays.toString(outSize(n, index, hw, k,
                    s, d, pads, true)) + " instead of " + Arrays.toString(outHw) + "); Lathe imports floor-mode pooling");
        }
        boolean includePad = Attrs.i(n, "count_include_pad", 0) != 0;
        String name = t.draft().uniqueName(LayerNames.nodeName(n, index));
        SubsamplingLayer layer = new SubsamplingLayer.Builder(type).kernelSize((int) k[0], (int) k[1])
                .stride((int) s[0], (int) s[1]).padding((int) pads[0], (int) pads[1])
                .convolutionMode(ConvolutionMode.Truncate).avgPoolIncludePadInDivisor(includePad).build();
        t.draft().addLayer(name, layer, n.getOutput(0), x.vertex());
        return new Act(name, new long[]{x.shape()[0], outHw[0], outHw[1]}, false);
    }

    Act pad(Onnx.NodeProto n, int index) throws ModelLoadException {
        Act x = t.map(n, index, t.act(n, index, 0));
        String mode = Attrs.s(n, "mode", "constant");
        if (!mode.equals("constant")) {
            throw t.refuse(n, index, "mode '" + mode + "'; Lathe imports constant (zero) padding");
        }
        long[] pads;
        float value;
        if (t.opset() < 11) {
            pads = Attrs.ints(n, "pads", null);
            value = Attrs.f(n, "value", 0f);
        } else {
            pads = t.constant(n, index, 1).asLongs();
            value = t.hasInput(n, 2) ? t.constant(n, index, 2).asFloats()[0] : 0f;
        }
        if (pads == null) {
            throw t.refuse(n, index, "no pads given");
        }
        long[] full = new long[8];
        if (t.hasInput(n, 3)) {
            long[] axes = t.constant(n, index, 3).asLongs();
            for (int i = 0; i < axes.length; i++) {
                int a = (int) (axes[i] < 0 ? axes[i] + 4 : axes[i]);
                full[a] = pads[i];
                full[a + 4] = pads[i + axes.length];
            }
        } else if (pads.length == 8) {
            full = pads;
        } else {
            throw t.refuse(n, index, pads.length + " pad values for a 4-D input");
        }
        if (value != 0f || full[0] != 0 || full[1] != 0 || full[4] != 0 || full[5] != 0
                || Arrays.stream(full).anyMatch(p -> p < 0)) {
            throw t.refuse(n, index, "pads " + Arrays.toString(full) + " with value " + value
                    + "; Lathe imports zero padding of height and width only");
        }
        String name = t.draft().uniqueName(LayerNames.nodeName(n, index));
        t.draft().addLayer(name, new ZeroPaddingLayer.Builder((int) full[2], (int) full[6], (int) full[3], (int) full[7])
                .build(), n.getOutput(0), x.vertex());
        return new Act(name, new long[]{x.shape()[0], x.shape()[1] + full[2] + full[6], x.shape()[2] + full[3] + full[7]}, false);
    }

    Act gemm(Onnx.NodeProto n, int index) throws ModelLoadException {
        Act x = flatInput(n, index);
        if (Attrs.i(n, "transA", 0) != 0) {
            throw t.refuse(n, index, "transA=1 is not supported");
        }
        Tensor b = matrix(n, index, 1);
        boolean transB = Attrs.i(n, "transB", 0) != 0;
        float alpha = Attrs.f(n, "alpha", 1f);
        float beta = Attrs.f(n, "beta", 1f);
        long kk = transB ? b.dims()[1] : b.dims()[0];
        long nn = transB ? b.dims()[0] : b.dims()[1];
        checkK(n, index, x, kk);
        float[] src = b.asFloats();
        float[] w = new float[(int) (kk * nn)];
        for (int i = 0; i < kk; i++) {
            for (int j = 0; j < nn; j++) {
                w[(int) (i * nn + j)] = alpha * (transB ? src[(int) (j * kk + i)] : src[(int) (i * nn + j)]);
            }
        }
        float[] bias = new float[(int) nn];
        if (t.hasInput(n, 2)) {
            Tensor c = t.constant(n, index, 2);
            float[] cv = c.asFloats();
            if (cv.length != 1 && cv.length != nn) {
                throw t.refuse(n, index, "bias C has " + cv.length + " values for " + nn + " outputs");
            }
            for (int j = 0; j < nn; j++) {
                bias[j] = beta * cv[cv.length == 1 ? 0 : j];
            }
        }
        return dense(n, index, x, kk, nn, w, bias);
    }

    Act matMul(Onnx.NodeProto n, int index) throws ModelLoadException {
        Act x = flatInput(n, index);
        Tensor b = matrix(n, index, 1);
        checkK(n, index, x, b.dims()[0]);
        return dense(n, index, x, b.dims()[0], b.dims()[1], b.asFloats(), new float[(int) b.dims()[1]]);
    }

    /** Add(x, constant) after a convolution or dense layer: the constant becomes (part of) its bias. */
    Act addBias(Onnx.NodeProto n, int index, String tensor, Act x, Tensor c) throws ModelLoadException {
        DraftGraph.Part p = t.draft().part(x.vertex());
        boolean conv = NodeTranslator.isPlainConv(p);
        boolean dense = p != null && p.layer instanceof DenseLayer;
        if ((!conv && !dense) || !tensor.equals(p.tensor) || t.consumersOf(tensor) != 1) {
            throw t.refuse(n, index, "Add of a constant is imported only right after a Conv, Gemm or MatMul whose "
                    + "output nothing else uses");
        }
        long channels = x.shape()[0];
        long[] dims = c.dims();
        boolean perChannel = c.size() == channels && (conv
                ? Arrays.equals(dims, new long[]{channels, 1, 1}) || Arrays.equals(dims, new long[]{1, channels, 1, 1})
                : Arrays.equals(dims, new long[]{channels}) || Arrays.equals(dims, new long[]{1, channels}));
        if (c.size() != 1 && !perChannel) {
            throw t.refuse(n, index, "the constant " + Arrays.toString(dims) + " is not a per-channel bias for "
                    + Arrays.toString(x.shape()));
        }
        float[] old = p.params.containsKey("b") ? p.params.get("b") : new float[(int) channels];
        float[] add = c.asFloats();
        float[] sum = new float[(int) channels];
        for (int i = 0; i < channels; i++) {
            sum[i] = old[i] + add[add.length == 1 ? 0 : i];
        }
        if (conv) {
            ((ConvolutionLayer) p.layer).setHasBias(true);
        }
        p.param("b", new long[]{channels}, sum);
        return x;
    }

    private Act dense(Onnx.NodeProto n, int index, Act x, long nIn, long nOut, float[] w, float[] bias) {
        String name = t.draft().uniqueName(LayerNames.weightName(n, index, n.getInput(1)));
        DraftGraph.Part p = t.draft().addLayer(name, new DenseLayer.Builder().nIn(nIn).nOut(nOut)
                .activation(Activation.IDENTITY).hasBias(true).build(), n.getOutput(0), x.vertex());
        p.param("W", new long[]{nIn, nOut}, w);
        p.param("b", new long[]{nOut}, bias);
        return new Act(name, new long[]{nOut}, true);
    }

    private Act flatInput(Onnx.NodeProto n, int index) throws ModelLoadException {
        Act x = t.act(n, index, 0);
        if (x.shape().length != 1) {
            throw t.refuse(n, index, "its input has shape " + Arrays.toString(x.shape())
                    + "; Lathe imports " + n.getOpType() + " on flat [batch, features] inputs (after Flatten or Reshape)");
        }
        return x;
    }

    private Tensor matrix(Onnx.NodeProto n, int index, int i) throws ModelLoadException {
        Tensor b = t.constant(n, index, i);
        if (b.dims().length != 2) {
            throw t.refuse(n, index, "the weight matrix has " + b.dims().length + " dimensions; expected 2");
        }
        return b;
    }

    private void checkK(Onnx.NodeProto n, int index, Act x, long k) throws ModelLoadException {
        if (k != x.shape()[0]) {
            throw t.refuse(n, index, "the weight matrix expects " + k + " inputs but the input has " + x.shape()[0]);
        }
    }

    /** Pads as {@code [top, left, bottom, right]} from {@code pads} or {@code auto_pad}. */
    private long[] pads(Onnx.NodeProto n, int index, long[] hw, long[] k, long[] s, long[] d) throws ModelLoadException {
        String auto = Attrs.s(n, "auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET" -> {
                long[] p = Attrs.ints(n, "pads", new long[4]);
                if (p.length != 4) {
                    throw t.refuse(n, index, "pads has " + p.length + " values; expected 4");
                }
                return p;
            }
            case "VALID" -> {
                return new long[4];
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                return samePads(hw, k, s, d, auto.equals("SAME_UPPER"));
            }
            default -> throw t.refuse(n, index, "auto_pad '" + auto + "' is not supported");
        }
    }

    /** SAME padding: output ⌈in/stride⌉, the odd pixel at the end (upper) or the start (lower). */
    static long[] samePads(long[] hw, long[] k, long[] s, long[] d, boolean upper) {
        long[] p = new long[4];
        for (int a = 0; a < 2; a++) {
            long out = (hw[a] + s[a] - 1) / s[a];
            long total = Math.max(0, (out - 1) * s[a] + (k[a] - 1) * d[a] + 1 - hw[a]);
            long small = total / 2;
            p[a] = upper ? small : total - small;
            p[a + 2] = upper ? total - small : small;
        }
        return p;
    }

    private long[] outSize(Onnx.NodeProto n, int index, long[] hw, long[] k, long[] s, long[] d, long[] pads, boolean ceil)
            throws ModelLoadException {
        long[] o = new long[2];
        for (int a = 0; a < 2; a++) {
            long span = hw[a] + pads[a] + pads[a + 2] - ((k[a] - 1) * d[a] + 1);
            if (span < 0) {
                throw t.refuse(n, index, "the kernel is larger than the padded input");
            }
            o[a] = (ceil ? (span + s[a] - 1) / s[a] : span / s[a]) + 1;
            if (ceil && (o[a] - 1) * s[a] >= hw[a] + pads[a]) {
                o[a]--;
            }
        }
        return o;
    }
}
