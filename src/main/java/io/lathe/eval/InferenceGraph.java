package io.lathe.eval;

import io.lathe.model.BatchNormFold;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * The network the engine runs for inference — evaluation, the live preview and the sensitivity sweeps
 * — derived from a source network that keeps the original layers: BatchNorm folded into the
 * convolution before it ({@link BatchNormFold}) and, when every layer of the whole network allows it,
 * activations in NHWC (channels last), which oneDNN runs faster here (decision 0019). Its parameters
 * are computed from the source's ({@link #copyParams}): folded weights and biases, the weights a
 * layer's weight noise (fake quantization) gives in inference, the source's activation functions
 * (a plan's ReLU thresholds). Results equal the source network's to float rounding; predictions can
 * differ from the unfolded network's on near-ties, identically on every engine path. Not
 * thread-safe (a DL4J network).
 */
public final class InferenceGraph {
    private final ComputationGraph net;
    private final Map<String, String> folded;
    private final Map<String, String> foldedInto = new HashMap<>();
    private final boolean channelsLast;
    private final Map<String, IWeightNoise> noise;

    private InferenceGraph(ComputationGraph net, Map<String, String> folded, boolean channelsLast,
                           Map<String, IWeightNoise> noise) {
        this.net = net;
        this.folded = folded;
        this.channelsLast = channelsLast;
        this.noise = noise;
        folded.forEach((conv, bn) -> foldedInto.put(bn, conv));
    }

    /** The inference graph of a whole network, its parameters copied from it. */
    public static InferenceGraph of(ComputationGraph source) {
        return of(source, true);
    }

    /**
     * As {@link #of(ComputationGraph)}; with {@code channelsLastWherePossible} false the activations stay
     * NCHW (BatchNorm folding alone, for benchmarks that measure each step).
     */
    public static InferenceGraph of(ComputationGraph source, boolean channelsLastWherePossible) {
        ComputationGraphConfiguration conf = source.getConfiguration().clone();
        InferenceGraph g = build(conf, channelsLastWherePossible && canRunChannelsLast(source.getConfiguration()));
        g.copyParams(source);
        return g;
    }

    /**
     * The inference graph of {@code conf} (a copy of a source network's configuration, possibly cut to
     * a part of it; changed here), in NHWC when {@code channelsLast}. Parameters uninitialised: call
     * {@link #copyParams}. Network outputs that name a folded BN become its convolution.
     */
    static InferenceGraph build(ComputationGraphConfiguration conf, boolean channelsLast) {
        Map<String, String> pairs = BatchNormFold.pairs(conf);
        BatchNormFold.removeBatchNorms(conf, pairs);
        Map<String, IWeightNoise> noise = new HashMap<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                if (lv.getLayerConf().getLayer() instanceof BaseLayer bl && bl.getWeightNoise() != null) {
                    noise.put(e.getKey(), bl.getWeightNoise());
                    bl.setWeightNoise(null);
                }
                if (channelsLast) {
                    toChannelsLast(lv.getLayerConf().getLayer());
                }
            }
        }
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return new InferenceGraph(net, pairs, channelsLast, noise);
    }

    /**
     * True if every vertex of {@code conf} has an NHWC form this class can set: NCHW convolutions and
     * BatchNorm, activation layers, element-wise vertices, global pooling, dense and output layers, no
     * input preprocessors. Anything else (pooling windows, padding, flattening into a dense layer) keeps
     * the graph NCHW.
     */
    static boolean canRunChannelsLast(ComputationGraphConfiguration conf) {
        boolean anyConv = false;
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof ElementWiseVertex) {
                continue;
            }
            if (!(v instanceof LayerVertex lv) || lv.getPreProcessor() != null) {
                return false;
            }
            org.deeplearning4j.nn.conf.layers.Layer l = lv.getLayerConf().getLayer();
            if (l.getClass() == ConvolutionLayer.class) {
                CNN2DFormat f = ((ConvolutionLayer) l).getCnn2dDataFormat();
                if (f != null && f != CNN2DFormat.NCHW) {
                    return false;
                }
                anyConv = true;
            } else if (l instanceof BatchNormalization b) {
                if (b.getCnn2DFormat() != null && b.getCnn2DFormat() != CNN2DFormat.NCHW) {
                    return false;
                }
            } else if (!(l instanceof ActivationLayer || l instanceof GlobalPoolingLayer
                    || l.getClass() == DenseLayer.class || l.getClass() == OutputLayer.class)) {
                return false;
            }
        }
        return anyConv;
    }

    private static void toChannelsLast(org.deeplearning4j.nn.conf.layers.Layer l) {
        if (l instanceof ConvolutionLayer c) {
            c.setCnn2dDataFormat(CNN2DFormat.NHWC);
        } else if (l instanceof BatchNormalization b) {
            b.setCnn2DFormat(CNN2DFormat.NHWC);
        } else if (l instanceof GlobalPoolingLayer p) {
            p.setPoolingDimensions(new int[]{1, 2});
        }
    }

    /**
     * Sets every parameter from {@code source}, a network with the same layer names (the original
     * layers: convolutions and their BatchNorm apart): folded convolutions get {@code W·s} and
     * {@code t + b·s} from the source's convolution and BN, other layers the source's parameters (as
     * its weight noise gives them in inference), activation layers the source's activation function.
     */
    public void copyParams(ComputationGraph source) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (Layer l : net.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            Layer src = source.getLayer(name);
            if (l.numParams() == 0) {
                if (l.conf().getLayer() instanceof ActivationLayer mine
                        && src.conf().getLayer() instanceof ActivationLayer theirs
                        && !mine.getActivationFn().equals(theirs.getActivationFn())) {
                    mine.setActivationFn(theirs.getActivationFn());
                }
                continue;
            }
            IWeightNoise n = noise.get(name);
            String bn = folded.get(name);
            if (bn == null) {
                if (n == null) {
                    l.params().assign(src.params());
                } else {
                    l.paramTable().forEach((key, p) -> p.assign(n.getParameter(src, key, 0, 0, false, mgr)));
                }
                continue;
            }
            float[][] st = BatchNormFold.scaleShift(source, bn);
            INDArray w = effective(src, "W", n, mgr);
            l.getParam("W").assign(Nd4j.create(BatchNormFold.foldedWeights(w.dup('c').data().asFloat(), st[0]),
                    w.shape(), 'c'));
            INDArray b = src.paramTable().get("b") == null ? null : effective(src, "b", n, mgr);
            INDArray target = l.getParam("b");
            target.assign(Nd4j.create(BatchNormFold.foldedBias(st, b == null ? null : b.dup('c').data().asFloat()),
                    target.shape(), 'c'));
        }
    }

    private static INDArray effective(Layer src, String key, IWeightNoise n, LayerWorkspaceMgr mgr) {
        return n == null ? src.getParam(key) : n.getParameter(src, key, 0, 0, false, mgr);
    }

    /** A network-input batch (NCHW, as {@code Batches.features} gives it) in this graph's layout. */
    public INDArray input(INDArray nchw) {
        return channelsLast ? nchw.permute(0, 2, 3, 1).dup('c') : nchw;
    }

    /** Runs the network in inference mode on a batch already in this graph's layout. */
    public INDArray[] run(INDArray input) {
        return net.output(false, input);
    }

    /** The vertex of this graph that computes {@code sourceVertex}'s output (its convolution for a folded BN). */
    public String vertexFor(String sourceVertex) {
        return foldedInto.getOrDefault(sourceVertex, sourceVertex);
    }

    /** Folded pairs, convolution → BatchNorm. */
    public Map<String, String> folded() {
        return Map.copyOf(folded);
    }

    /** True if activations are NHWC. */
    public boolean channelsLast() {
        return channelsLast;
    }

    /** The DL4J network. */
    public ComputationGraph network() {
        return net;
    }
}
