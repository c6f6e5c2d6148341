package io.lathe.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference-time BatchNormalization folded into the convolution before it, as a graph transformation:
 * which convolution → BN pairs fold, the configuration without those BN layers, and each BN's per-channel
 * factor {@code s = γ/√(σ²+ε)} and shift {@code t = β − μ·s}, so that the folded convolution is
 * {@code W' = W·s}, {@code b' = t + b·s}. Shared by the engine's evaluation graphs and the exporters.
 * Stateless.
 */
public final class BatchNormFold {
    private BatchNormFold() {
    }

    /**
     * Convolution → BN pairs (by vertex name) that can be folded: the BN's only input is a plain NCHW
     * convolution with the identity activation that nothing else uses.
     */
    public static Map<String, String> pairs(ComputationGraphConfiguration conf) {
        Map<String, Integer> consumers = new LinkedHashMap<>();
        conf.getVertexInputs().values().forEach(ins -> ins.forEach(i -> consumers.merge(i, 1, Integer::sum)));
        conf.getNetworkOutputs().forEach(o -> consumers.merge(o, 1, Integer::sum));
        Map<String, String> pairs = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            List<String> in = conf.getVertexInputs().get(e.getKey());
            if (in == null || in.size() != 1) {
                continue;
            }
            String src = in.get(0);
            if (conf.getVertices().get(src) instanceof LayerVertex sv
                    && sv.getLayerConf().getLayer().getClass() == ConvolutionLayer.class
                    && foldable((ConvolutionLayer) sv.getLayerConf().getLayer())
                    && consumers.getOrDefault(src, 0) == 1) {
                pairs.put(src, e.getKey());
            }
        }
        return pairs;
    }

    private static boolean foldable(ConvolutionLayer c) {
        return (c.getActivationFn() == null || c.getActivationFn() instanceof ActivationIdentity)
                && (c.getCnn2dDataFormat() == null || c.getCnn2dDataFormat() == CNN2DFormat.NCHW);
    }

    /**
     * Removes the BN layer of every pair from {@code conf} (changed in place): its consumers and the
     * network outputs read the convolution instead, which gets a bias.
     */
    public static void removeBatchNorms(ComputationGraphConfiguration conf, Map<String, String> pairs) {
        for (Map.Entry<String, String> p : pairs.entrySet()) {
            LayerVertex conv = (LayerVertex) conf.getVertices().get(p.getKey());
            ((ConvolutionLayer) conv.getLayerConf().getLayer()).setHasBias(true);
            conf.getVertices().remove(p.getValue());
            conf.getVertexInputs().remove(p.getValue());
            for (List<String> ins : conf.getVertexInputs().values()) {
                ins.replaceAll(i -> i.equals(p.getValue()) ? p.getKey() : i);
            }
            conf.getNetworkOutputs().replaceAll(i -> i.equals(p.getValue()) ? p.getKey() : i);
        }
    }

    /**
     * Per-channel factor {@code s} and shift {@code t} of inference-time BN layer {@code bn} of {@code graph}.
     * A layer that stores {@code log10stdev} holds the log of the running standard deviation without
     * ε; DL4J M2.1 normalises with {@code √((10^l)² + ε)}, and so does this (reading it as {@code 10^l}
     * left a relative error of about ε/2σ², 1e-4 on the sample ResNet-20's outputs).
     */
    public static float[][] scaleShift(ComputationGraph graph, String bn) {
        BatchNormalization conf = (BatchNormalization) graph.getLayer(bn).conf().getLayer();
        Map<String, INDArray> p = graph.getLayer(bn).paramTable();
        float[] mean = p.get("mean").dup('c').data().asFloat();
        int n = mean.length;
        float[] gamma = conf.isLockGammaBeta() ? filled(n, conf.getGamma()) : p.get("gamma").dup('c').data().asFloat();
        float[] beta = conf.isLockGammaBeta() ? filled(n, conf.getBeta()) : p.get("beta").dup('c').data().asFloat();
        float[] std = new float[n];
        if (p.containsKey("log10stdev")) {
            float[] l = p.get("log10stdev").dup('c').data().asFloat();
            for (int c = 0; c < n; c++) {
                double sd = Math.pow(10, l[c]);
                std[c] = (float) Math.sqrt(sd * sd + conf.getEps());
            }
        } else {
            float[] var = p.get("var").dup('c').data().asFloat();
            for (int c = 0; c < n; c++) {
                std[c] = (float) Math.sqrt(var[c] + conf.getEps());
            }
        }
        float[] s = new float[n];
        float[] t = new float[n];
        for (int c = 0; c < n; c++) {
            s[c] = (float) ((double) gamma[c] / std[c]);
            t[c] = (float) (beta[c] - (double) mean[c] * s[c]);
        }
        return new float[][]{s, t};
    }

    /**
     * The folded bias {@code t + b·s} of a convolution with bias {@code convBias} (null: none) before a
     * BN with factor and shift {@code st}.
     */
    public static float[] foldedBias(float[][] st, float[] convBias) {
        float[] shift = st[1].clone();
        if (convBias != null) {
            for (int o = 0; o < shift.length; o++) {
                shift[o] += convBias[o] * st[0][o];
            }
        }
        return shift;
    }

    /**
     * Convolution weights in DL4J order {@code [out, in, kH, kW]} (flattened, 'c' order) each multiplied
     * by its output channel's factor, in float as the exporters do it.
     */
    public static float[] foldedWeights(float[] dl4j, float[] factor) {
        int per = dl4j.length / factor.length;
        float[] out = new float[dl4j.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = dl4j[i] * factor[i / per];
        }
        return out;
    }

    private static float[] filled(int n, double v) {
        float[] a = new float[n];
        Arrays.fill(a, (float) v);
        return a;
    }
}
