package io.lathe.model.onnx;

import io.lathe.model.ModelLoadException;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates the nodes of an ONNX classifier graph, in order, into a {@link DraftGraph}: the
 * dispatch over op types, activation and constant bookkeeping, and the simple ops (the layer ops
 * with geometry live in {@link LayerOps}). Refusals name the file, the node and what is wrong.
 * Single use; not thread-safe.
 */
final class NodeTranslator {
    /** The op types Lathe imports, for the "unsupported op" message. */
    static final String SUPPORTED = "Conv, BatchNormalization, Relu, Add, MaxPool, AveragePool, GlobalAveragePool, "
            + "GlobalMaxPool, ReduceMean (over H and W), Flatten, Reshape, Gemm, MatMul, Identity, Dropout, Pad, Constant, Softmax (as the last "
            + "node), and Shape/Gather/Unsqueeze/Squeeze/Concat/Cast on shapes";

    /** The translated network and what the check against ONNX Runtime needs to know. */
    record Result(ComputationGraph graph, int[] chw, String inputName, String outputName, boolean batchIsOne,
                  boolean outputIsProbabilities, int nodes, int layers) {
    }

    private final OnnxFile file;
    private final DraftGraph draft = new DraftGraph();
    private final Map<String, Act> acts = new HashMap<>();
    private final Map<String, Tensor> consts = new HashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final LayerOps layerOps;
    private boolean batchIsOne;
    private boolean probabilities;

    NodeTranslator(OnnxFile file) {
        this.file = file;
        this.layerOps = new LayerOps(this);
    }

    Result translate() throws ModelLoadException {
        Onnx.GraphProto g = file.graph();
        consts.putAll(file.initializers());
        Onnx.ValueInfoProto input = networkInput(g);
        int[] chw = inputShape(input);
        acts.put(input.getName(), new Act(DraftGraph.INPUT, new long[]{chw[0], chw[1], chw[2]}, false));
        for (Onnx.NodeProto n : g.getNodeList()) {
            n.getInputList().forEach(i -> consumers.merge(i, 1, Integer::sum));
        }
        if (g.getOutputCount() != 1) {
            throw new ModelLoadException(file.path() + ": the ONNX graph has " + g.getOutputCount()
                    + " outputs; Lathe imports single-output classifiers");
        }
        String outName = g.getOutput(0).getName();
        consumers.merge(outName, 1, Integer::sum);
        for (int i = 0; i < g.getNodeCount(); i++) {
            translate(g.getNode(i), i, outName);
        }
        String output = head(outName);
        ComputationGraph net = draft.build(chw, output);
        return new Result(net, chw, input.getName(), outName, batchIsOne, probabilities, g.getNodeCount(),
                draft.size(output));
    }

    private Onnx.ValueInfoProto networkInput(Onnx.GraphProto g) throws ModelLoadException {
        List<Onnx.ValueInfoProto> real = new ArrayList<>();
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            if (!consts.containsKey(v.getName())) {
                real.add(v);
            }
        }
        if (real.size() != 1) {
            throw new ModelLoadException(file.path() + ": the ONNX graph has " + real.size()
                    + " inputs besides its weights; Lathe imports single-input image classifiers");
        }
        return real.get(0);
    }

    private int[] inputShape(Onnx.ValueInfoProto input) throws ModelLoadException {
        List<Onnx.TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4) {
            throw new ModelLoadException(file.path() + ": input '" + input.getName() + "' has " + dims.size()
                    + " dimensions; Lathe imports image classifiers with an N×C×H×W input");
        }
        if (dims.get(0).hasDimValue() && dims.get(0).getDimValue() > 1) {
            throw new ModelLoadException(file.path() + ": input '" + input.getName() + "' has a fixed batch of "
                    + dims.get(0).getDimValue() + "; export the model with batch 1 or a symbolic batch dimension");
        }
        batchIsOne = dims.get(0).hasDimValue();
        int[] chw = new int[3];
        for (int i = 1; i < 4; i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() <= 0) {
                throw new ModelLoadException(file.path() + ": input '" + input.getName() + "' dimension " + i + " is '"
                        + dims.get(i).getDimParam() + "'; Lathe needs a fixed channels×height×width (re-export with a fixed image size)");
            }
            chw[i - 1] = (int) dims.get(i).getDimValue();
        }
        return chw;
    }

    private void translate(Onnx.NodeProto n, int index, String graphOutput) throws ModelLoadException {
        String domain = n.getDomain();
        if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
            throw unsupported(n, index);
        }
        for (int k = 1; k < n.getOutputCount(); k++) {
            if (!n.getOutput(k).isEmpty() && consumers.containsKey(n.getOutput(k))) {
                throw refuse(n, index, "its output " + k + " ('" + n.getOutput(k) + "') is used; Lathe imports only the first output");
            }
        }
        String out = n.getOutput(0);
        switch (n.getOpType()) {
            case "Constant" -> {
                Tensor t = ShapeOps.constant(file.path(), n);
                if (t == null) {
                    throw refuse(n, index, "a Constant without a tensor, float or int value");
                }
                consts.put(out, t);
            }
            case "Identity" -> alias(n, index, out);
            case "Dropout" -> {
                if (hasInput(n, 2) && consts.containsKey(n.getInput(2)) && consts.get(n.getInput(2)).asLongs()[0] != 0) {
                    throw refuse(n, index, "training_mode is on; Lathe imports inference graphs");
                }
                alias(n, index, out);
            }
            case "Shape" -> consts.put(out, ShapeOps.shape(n, act(n, index, 0)));
            case "Gather" -> shapeResult(n, index, ShapeOps.gather(n, constant(n, index, 0), constant(n, index, 1)));
            case "Unsqueeze" -> shapeResult(n, index, ShapeOps.unsqueeze(constant(n, index, 0), axes(n, index)));
            case "Squeeze" -> shapeResult(n, index, ShapeOps.squeeze(constant(n, index, 0), axes(n, index)));
            case "Cast" -> shapeResult(n, index, ShapeOps.cast(n, constant(n, index, 0)));
            case "Concat" -> {
                List<Tensor> parts = new ArrayList<>();
                for (int i = 0; i < n.getInputCount(); i++) {
                    parts.add(constant(n, index, i));
                }
                shapeResult(n, index, ShapeOps.concat(n, parts));
            }
            case "Relu" -> {
                Act x = unflattened(n, index, act(n, index, 0));
                String name = draft.uniqueName(LayerNames.nodeName(n, index));
                draft.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), out, x.vertex());
                acts.put(out, new Act(name, x.shape(), x.ff()));
            }
            case "Add" -> add(n, index, out);
            case "Conv" -> acts.put(out, layerOps.conv(n, index));
            case "BatchNormalization" -> acts.put(out, layerOps.batchNorm(n, index));
            case "MaxPool" -> acts.put(out, layerOps.pool(n, index, PoolingType.MAX));
            case "AveragePool" -> acts.put(out, layerOps.pool(n, index, PoolingType.AVG));
            case "Pad" -> acts.put(out, layerOps.pad(n, index));
            case "Gemm" -> acts.put(out, layerOps.gemm(n, index));
            case "MatMul" -> acts.put(out, layerOps.matMul(n, index));
            case "GlobalAveragePool", "GlobalMaxPool" -> {
                Act x = map(n, index, act(n, index, 0));
                PoolingType t = n.getOpType().equals("GlobalAveragePool") ? PoolingType.AVG : PoolingType.MAX;
                String name = draft.uniqueName(LayerNames.nodeName(n, index));
                draft.addLayer(name, new GlobalPoolingLayer.Builder(t).build(), out, x.vertex());
                acts.put(out, new Act(name, new long[]{x.shape()[0], 1, 1}, true));
            }
            case "ReduceMean" -> {
                Act x = map(n, index, act(n, index, 0));
                long[] axes = hasInput(n, 1) ? constant(n, index, 1).asLongs() : Attrs.ints(n, "axes", null);
                long[] sorted = axes == null ? null : Arrays.stream(axes).map(a -> a < 0 ? a + 4 : a).sorted().toArray();
                if (!Arrays.equals(sorted, new long[]{2, 3})) {
                    throw refuse(n, index, "ReduceMean over axes " + Arrays.toString(axes)
                            + "; Lathe imports it only over height and width (global average pooling)");
                }
                String name = draft.uniqueName(LayerNames.nodeName(n, index));
                draft.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), out, x.vertex());
                boolean keep = Attrs.i(n, "keepdims", 1) != 0;
                acts.put(out, new Act(name, keep ? new long[]{x.shape()[0], 1, 1} : new long[]{x.shape()[0]}, true));
            }
            case "Flatten" -> {
                Act x = act(n, index, 0);
                if (Attrs.i(n, "axis", 1) != 1) {
                    throw refuse(n, index, "Flatten with axis " + Attrs.i(n, "axis", 1) + "; Lathe imports axis 1");
                }
                acts.put(out, flat(x));
            }
            case "Reshape" -> {
                Act x = act(n, index, 0);
                Tensor target = constant(n, index, 1);
                if (!ShapeOps.isFlatten(x, target, Attrs.i(n, "allowzero", 0) == 1, batchIsOne)) {
                    throw refuse(n, index, "Reshape of " + Arrays.toString(x.shape()) + " to " + target
                            + " is not a flatten to [batch, features]; Lathe imports Reshape only as that");
                }
                acts.put(out, flat(x));
            }
            case "Softmax" -> {
                Act x = act(n, index, 0);
                long axis = Attrs.i(n, "axis", file.opset() >= 13 ? -1 : 1);
                if (!out.equals(graphOutput) || x.shape().length != 1 || (axis != 1 && axis != -1)) {
                    throw refuse(n, index, "Softmax is imported only as the last node, over the classes of a flat input");
                }
                probabilities = true;
                acts.put(out, x);
            }
            default -> throw unsupported(n, index);
        }
    }

    private void alias(Onnx.NodeProto n, int index, String out) throws ModelLoadException {
        String in = n.getInput(0);
        if (acts.containsKey(in)) {
            acts.put(out, acts.get(in));
        } else if (consts.containsKey(in)) {
            consts.put(out, consts.get(in));
        } else {
            throw refuse(n, index, "its input '" + in + "' is not produced by any earlier node");
        }
    }

    private void shapeResult(Onnx.NodeProto n, int index, Tensor t) throws ModelLoadException {
        if (t == null) {
            throw refuse(n, index, "this form of " + n.getOpType() + " is not supported on shape values");
        }
        consts.put(n.getOutput(0), t);
    }

    private long[] axes(Onnx.NodeProto n, int index) throws ModelLoadException {
        if (hasInput(n, 1)) {
            return constant(n, index, 1).asLongs();
        }
        return Attrs.ints(n, "axes", null);
    }

    private void add(Onnx.NodeProto n, int index, String out) throws ModelLoadException {
        String a = n.getInput(0);
        String b = n.getInput(1);
        if (acts.containsKey(a) && acts.containsKey(b)) {
            Act x = unflattened(n, index, acts.get(a));
            Act y = unflattened(n, index, acts.get(b));
            if (!Arrays.equals(x.shape(), y.shape()) || x.ff() != y.ff()) {
                throw refuse(n, index, "Add of " + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape())
                        + "; Lathe imports Adds of equal shapes (residual connections) or of a bias constant");
            }
            String name = draft.uniqueName(LayerNames.nodeName(n, index));
            draft.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), out, x.vertex(), y.vertex());
            acts.put(out, new Act(name, x.shape(), x.ff()));
            return;
        }
        String actName = acts.containsKey(a) ? a : acts.containsKey(b) ? b : null;
        String constName = actName == null ? null : actName.equals(a) ? b : a;
        if (actName == null || !consts.containsKey(constName)) {
            throw refuse(n, index, "Add of two constants or of unknown tensors is not supported");
        }
        acts.put(out, layerOps.addBias(n, index, actName, acts.get(actName), consts.get(constName)));
    }

    /** The flat view of an activation ({@code [C·H·W]}); DL4J adds its preprocessor before the next dense layer. */
    private static Act flat(Act x) {
        return x.shape().length == 1 ? x : new Act(x.vertex(), new long[]{x.elements()}, x.ff());
    }

    /** Makes the head's last dense layer an output layer with softmax and a cross-entropy loss. */
    private String head(String outName) throws ModelLoadException {
        Act out = acts.get(outName);
        DraftGraph.Part p = out == null ? null : draft.part(out.vertex());
        if (p == null || !(p.layer instanceof DenseLayer d)) {
            throw new ModelLoadException(file.path() + ": the graph output '" + outName + "' is not produced by a "
                    + "Gemm or MatMul classifier; Lathe imports classifiers whose last layer is fully connected");
        }
        p.layer = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d.getNIn()).nOut(d.getNOut())
                .activation(Activation.SOFTMAX).hasBias(true).build();
        return p.name;
    }

    // ---- helpers shared with LayerOps ----

    DraftGraph draft() {
        return draft;
    }

    int opset() {
        return file.opset();
    }

    int consumersOf(String tensor) {
        return consumers.getOrDefault(tensor, 0);
    }

    boolean hasInput(Onnx.NodeProto n, int i) {
        return n.getInputCount() > i && !n.getInput(i).isEmpty();
    }

    Act act(Onnx.NodeProto n, int index, int i) throws ModelLoadException {
        String in = n.getInput(i);
        Act a = acts.get(in);
        if (a == null) {
            throw refuse(n, index, consts.containsKey(in) ? "input '" + in + "' is a constant where Lathe expects an activation"
                    : "input '" + in + "' is not produced by any earlier node");
        }
        return a;
    }

    Tensor constant(Onnx.NodeProto n, int index, int i) throws ModelLoadException {
        String in = n.getInput(i);
        Tensor t = consts.get(in);
        if (t == null) {
            throw refuse(n, index, acts.containsKey(in) ? "input '" + in + "' is computed from the image; Lathe needs a constant here"
                    : "input '" + in + "' is not produced by any earlier node");
        }
        return t;
    }

    /** An NCHW feature map, or a refusal. */
    Act map(Onnx.NodeProto n, int index, Act x) throws ModelLoadException {
        if (!x.isMap()) {
            throw refuse(n, index, "its input has shape " + Arrays.toString(x.shape()) + "; " + n.getOpType()
                    + " is imported on N×C×H×W feature maps only");
        }
        return x;
    }

    /** An activation that is not a flattened feature map still held as 4-D by DL4J, or a refusal. */
    Act unflattened(Onnx.NodeProto n, int index, Act x) throws ModelLoadException {
        if (x.shape().length == 1 && !x.ff()) {
            throw refuse(n, index, "it follows a Flatten of a feature map; Lathe imports that only into Gemm/MatMul");
        }
        return x;
    }

    ModelLoadException refuse(Onnx.NodeProto n, int index, String why) {
        return new ModelLoadException(file.path() + ": node '" + LayerNames.display(n, index) + "' (" + n.getOpType() + "): " + why);
    }

    private ModelLoadException unsupported(Onnx.NodeProto n, int index) {
        String op = n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + "." + n.getOpType();
        return new ModelLoadException(file.path() + ": unsupported ONNX op '" + op + "' at node '" + LayerNames.display(n, index)
                + "'; Lathe imports " + SUPPORTED);
    }

    static boolean isPlainConv(DraftGraph.Part p) {
        return p != null && p.layer != null && p.layer.getClass() == ConvolutionLayer.class;
    }
}
