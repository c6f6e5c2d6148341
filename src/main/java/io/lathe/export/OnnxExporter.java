package io.lathe.export;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a DL4J ComputationGraph (NCHW, BatchNorm already folded where possible, see
 * {@link BatchNormFolding}) as an ONNX model (opset 13): Conv, BatchNormalization, Relu, Add, MaxPool,
 * AveragePool, Pad (zero padding), GlobalAveragePool/GlobalMaxPool, Flatten, Gemm, Softmax. With
 * {@link Int8} it writes the QDQ form:
 * QuantizeLinear/DequantizeLinear around every activation quantization point, int8 per-channel weights
 * and int32 biases, so ONNX Runtime fuses them into integer kernels (QLinearConv, QLinearAdd).
 * Layers it cannot express are refused with their name and type.
 */
public final class OnnxExporter {
    public static final int OPSET = 13;

    private final ComputationGraph graph;
    private final ComputationGraphConfiguration conf;
    private final Map<String, InputType> types;
    private final Int8 int8;
    private final List<Onnx.NodeProto> nodes = new ArrayList<>();
    private final List<Onnx.TensorProto> inits = new ArrayList<>();
    private final Map<String, String> tensorOf = new HashMap<>();
    private final Map<String, Float> dqScale = new HashMap<>();
    private final Set<String> quantPoints;

    /**
     * The INT8 variant's inputs.
     *
     * @param ranges  min and max of every quantization point's tensor (see {@link #quantizationPoints}), from calibration
     * @param codings integer codes of layers whose plan quantized them symmetrically (used as int8 weights as they are)
     */
    public record Int8(Map<String, float[]> ranges, Map<String, WeightCoding> codings) {
    }

    private OnnxExporter(ComputationGraph graph, int[] chw, Int8 int8) {
        this.graph = graph;
        this.conf = graph.getConfiguration();
        this.networkInputType = InputType.convolutional(chw[1], chw[2], chw[0]);
        this.types = conf.getLayerActivationTypes(networkInputType);
        this.int8 = int8;
        this.quantPoints = quantizationPoints(graph);
    }

    /** The fp32 model. */
    public static byte[] fp32(ComputationGraph graph, int[] chw, String producerVersion) {
        return new OnnxExporter(graph, chw, null).build(producerVersion, false);
    }

    /** The fp32 model with every quantization point also exposed as an output (for calibration). */
    public static byte[] calibration(ComputationGraph graph, int[] chw, String producerVersion) {
        return new OnnxExporter(graph, chw, null).build(producerVersion, true);
    }

    /** The INT8 QDQ model. */
    public static byte[] int8(ComputationGraph graph, int[] chw, Int8 int8, String producerVersion) {
        return new OnnxExporter(graph, chw, int8).build(producerVersion, false);
    }

    /**
     * Tensors (named after their vertices) quantized in the INT8 model: the network input, and the output
     * of every convolution, Add and average pooling, or of the ReLU right after it when that ReLU is its
     * only consumer. (ReLU, max pooling and zero padding keep values on their input's INT8 grid.)
     */
    public static Set<String> quantizationPoints(ComputationGraph graph) {
        ComputationGraphConfiguration c = graph.getConfiguration();
        Map<String, List<String>> consumers = new HashMap<>();
        c.getVertexInputs().forEach((v, ins) -> ins.forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(v)));
        Set<String> out = new LinkedHashSet<>(c.getNetworkInputs());
        for (Map.Entry<String, GraphVertex> e : c.getVertices().entrySet()) {
            GraphVertex gv = e.getValue();
            boolean producer = gv instanceof ElementWiseVertex
                    || (gv instanceof LayerVertex lv && (lv.getLayerConf().getLayer() instanceof ConvolutionLayer
                    || (lv.getLayerConf().getLayer() instanceof SubsamplingLayer sl && sl.getPoolingType() == PoolingType.AVG)));
            if (!producer) {
                continue;
            }
            List<String> cons = consumers.getOrDefault(e.getKey(), List.of());
            if (cons.size() == 1 && c.getVertices().get(cons.get(0)) instanceof LayerVertex rv
                    && rv.getLayerConf().getLayer() instanceof ActivationLayer al && (isRelu(al.getActivationFn())
                    || al.getActivationFn() instanceof ActivationThresholdedReLU)) {
                out.add(cons.get(0));
            } else {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private byte[] build(String producerVersion, boolean exposeQuantPoints) {
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("ONNX export supports single-input, single-output networks");
        }
        String input = conf.getNetworkInputs().get(0);
        tensorOf.put(input, input);
        quantize(input, input);
        for (int idx : graph.topologicalSortOrder()) {
            String v = graph.getVertices()[idx].getVertexName();
            if (conf.getNetworkInputs().contains(v)) {
                continue;
            }
            emit(v, conf.getVertices().get(v), conf.getVertexInputs().get(v));
        }
        String outVertex = conf.getNetworkOutputs().get(0);
        String outTensor = tensorOf.get(outVertex);
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName(int8 == null ? "lathe-fp32" : "lathe-int8")
                .addAllNode(nodes).addAllInitializer(inits);
        long[] chw = inputShape();
        g.addInput(OnnxProto.floatValue(input, -1, chw[0], chw[1], chw[2]));
        g.addOutput(OnnxProto.floatValue(outTensor, -1, classes()));
        if (exposeQuantPoints) {
            for (String q : quantPoints) {
                if (!q.equals(input) && !tensorOf.get(q).equals(outTensor)) {
                    g.addOutput(OnnxProto.floatValue(tensorOf.get(q)));
                }
            }
        }
        Onnx.ModelProto m = Onnx.ModelProto.newBuilder().setIrVersion(7).setProducerName("Lathe")
                .setProducerVersion(producerVersion).setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).build();
        return m.toByteArray();
    }

    private long[] inputShape() {
        String input = conf.getNetworkInputs().get(0);
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().contains(input) && conf.getVertices().get(e.getKey()) instanceof LayerVertex) {
                InputType t = inputTypeOf(input);
                if (t instanceof InputType.InputTypeConvolutional c) {
                    return new long[]{c.getChannels(), c.getHeight(), c.getWidth()};
                }
            }
        }
        throw new IllegalArgumentException("ONNX export needs an image (convolutional) input");
    }

    private final InputType networkInputType;

    private InputType inputTypeOf(String vertex) {
        if (conf.getNetworkInputs().contains(vertex)) {
            return networkInputType;
        }
        return types.get(vertex);
    }

    private long classes() {
        InputType t = types.get(conf.getNetworkOutputs().get(0));
        return t.arrayElementsPerExample();
    }

    private void emit(String v, GraphVertex gv, List<String> inputs) {
        List<String> ins = new ArrayList<>();
        for (String i : inputs) {
            ins.add(tensorOf.get(i));
        }
        if (gv instanceof ElementWiseVertex ew) {
            if (ew.getOp() != ElementWiseVertex.Op.Add) {
                throw unsupported(v, "element-wise " + ew.getOp());
            }
            String acc = ins.get(0);
            for (int k = 1; k < ins.size(); k++) {
                String out = k == ins.size() - 1 ? v : v + ".sum" + k;
                nodes.add(OnnxProto.node("Add", out, List.of(acc, ins.get(k)), out));
                acc = out;
            }
            finish(v, acc);
            return;
        }
        if (!(gv instanceof LayerVertex lv)) {
            throw unsupported(v, gv.getClass().getSimpleName());
        }
        String x = ins.get(0);
        InputPreProcessor pre = lv.getPreProcessor();
        if (pre != null) {
            if (!(pre instanceof CnnToFeedForwardPreProcessor)) {
                throw unsupported(v, "input preprocessor " + pre.getClass().getSimpleName());
            }
            nodes.add(OnnxProto.node("Flatten", v + ".flatten", List.of(x), v + ".flat", OnnxProto.integer("axis", 1)));
            x = v + ".flat";
        }
        Layer layer = lv.getLayerConf().getLayer();
        if (layer.getClass() == ConvolutionLayer.class) {
            x = OnnxLayers.conv(this, v, (ConvolutionLayer) layer, x, inputs.get(0));
            x = activation(v, ((BaseLayer) layer).getActivationFn(), x, v + ".act");
        } else if (layer instanceof BatchNormalization) {
            x = OnnxLayers.batchNorm(this, v, x);
        } else if (layer instanceof ActivationLayer al) {
            x = activation(v, al.getActivationFn(), x, v);
        } else if (layer instanceof GlobalPoolingLayer gp) {
            String op = gp.getPoolingType() == PoolingType.AVG ? "GlobalAveragePool"
                    : gp.getPoolingType() == PoolingType.MAX ? "GlobalMaxPool" : null;
            if (op == null) {
                throw unsupported(v, "global " + gp.getPoolingType() + " pooling");
            }
            nodes.add(OnnxProto.node(op, v, List.of(x), v + ".pooled"));
            x = v + ".pooled";
            if (gp.isCollapseDimensions()) {
                nodes.add(OnnxProto.node("Flatten", v + ".flatten", List.of(x), v, OnnxProto.integer("axis", 1)));
                x = v;
            }
        } else if (layer.getClass() == SubsamplingLayer.class) {
            x = OnnxLayers.pool(this, v, (SubsamplingLayer) layer, x, inputs.get(0));
        } else if (layer instanceof ZeroPaddingLayer zp) {
            x = OnnxLayers.zeroPad(this, v, zp, x);
        } else if (layer instanceof OutputLayer || layer instanceof DenseLayer) {
            x = OnnxLayers.gemm(this, v, x);
            x = activation(v, ((BaseLayer) layer).getActivationFn(), x, v);
        } else {
            throw unsupported(v, layer.getClass().getSimpleName());
        }
        finish(v, x);
    }

    private void finish(String v, String tensor) {
        tensorOf.put(v, tensor);
        quantize(v, tensor);
    }

    /** Inserts QuantizeLinear → DequantizeLinear after a quantization point (INT8 only). */
    private void quantize(String vertex, String tensor) {
        if (int8 == null || !quantPoints.contains(vertex)) {
            return;
        }
        float[] r = int8.ranges().get(vertex);
        if (r == null) {
            throw new IllegalStateException("no calibrated range for " + vertex);
        }
        float lo = Math.min(0, r[0]);
        float hi = Math.max(0, r[1]);
        float scale = hi > lo ? (hi - lo) / 255f : 1f;
        int zp = Math.max(0, Math.min(255, Math.round(-lo / scale)));
        String s = vertex + ".act_scale";
        String z = vertex + ".act_zp";
        inits.add(OnnxProto.floats(s, new long[0], new float[]{scale}));
        inits.add(OnnxProto.bytes(z, new long[0], Onnx.TensorProto.DataType.UINT8, new byte[]{(byte) zp}));
        nodes.add(OnnxProto.node("QuantizeLinear", vertex + ".q", List.of(tensor, s, z), vertex + ".q"));
        nodes.add(OnnxProto.node("DequantizeLinear", vertex + ".dq", List.of(vertex + ".q", s, z), vertex + ".dq"));
        tensorOf.put(vertex, vertex + ".dq");
        dqScale.put(vertex + ".dq", scale);
    }

    private String activation(String v, IActivation a, String x, String out) {
        if (a == null || a instanceof ActivationIdentity) {
            return x;
        }
        if (a instanceof ActivationThresholdedReLU t) {
            nodes.add(OnnxProto.node("ThresholdedRelu", out, List.of(x), out, OnnxProto.real("alpha", (float) t.getTheta())));
            carryScale(x, out);
            return out;
        }
        String op = isRelu(a) ? "Relu" : a instanceof ActivationSoftmax ? "Softmax" : null;
        if (op == null) {
            throw unsupported(v, "activation " + a);
        }
        nodes.add(op.equals("Softmax") ? OnnxProto.node(op, out, List.of(x), out, OnnxProto.integer("axis", 1))
                : OnnxProto.node(op, out, List.of(x), out));
        if (op.equals("Relu")) {
            carryScale(x, out);
        }
        return out;
    }

    private static boolean isRelu(IActivation a) {
        return a instanceof ActivationReLU r && r.toString().equals(new ActivationReLU().toString());
    }

    private static IllegalArgumentException unsupported(String v, String what) {
        return new IllegalArgumentException("ONNX export: layer '" + v + "' (" + what + ") is not supported; "
                + "Lathe exports convolutions, BatchNorm, ReLU, Add, pooling, zero padding and dense/output layers");
    }

    ComputationGraph graph() {
        return graph;
    }

    Int8 int8Spec() {
        return int8;
    }

    InputType typeOf(String vertex) {
        return inputTypeOf(vertex);
    }

    Float dqScaleOf(String tensor) {
        return dqScale.get(tensor);
    }

    /** Marks {@code to} as holding values on the same INT8 grid as {@code from} (ReLU, max pooling, zero padding). */
    void carryScale(String from, String to) {
        Float s = dqScale.get(from);
        if (s != null) {
            dqScale.put(to, s);
        }
    }

    void add(Onnx.NodeProto n) {
        nodes.add(n);
    }

    void add(Onnx.TensorProto t) {
        inits.add(t);
    }
}
