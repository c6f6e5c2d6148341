package io.lathe.structure;

import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Activation pruning: a per-layer threshold below which a ReLU layer's outputs are set to zero at
 * inference ({@code f(x) = x if x > t, else 0}, DL4J's thresholded ReLU; t = 0 is plain ReLU). Also
 * measures each layer's activation sparsity (fraction of exact zeros) on real images, and finds the
 * threshold that reaches a target sparsity. Engine thread only; the source model is untouched.
 */
public final class ActivationPruning {
    private static final int BATCH = 128;
    private static final int SAMPLE = 2_000_000;

    private ActivationPruning() {
    }

    /** The layers a threshold can be set on: ReLU activation layers, in execution order. */
    public static List<String> targets(LoadedModel model, LayerTree tree) {
        List<String> out = new ArrayList<>();
        ComputationGraphConfiguration conf = model.graph().getConfiguration();
        for (LayerInfo l : tree.layers()) {
            if (l.kind() == LayerKind.ACTIVATION && conf.getVertices().get(l.name()) instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof ActivationLayer a && isRelu(a.getActivationFn())) {
                out.add(l.name());
            }
        }
        return out;
    }

    private static boolean isRelu(IActivation f) {
        return f instanceof ActivationReLU || f instanceof ActivationThresholdedReLU;
    }

    /** A new network whose listed ReLU layers zero every output at or below their threshold. */
    public static ComputationGraph apply(LoadedModel model, LayerTree tree, Map<String, Double> thresholds) {
        List<String> allowed = targets(model, tree);
        ComputationGraphConfiguration conf = model.graph().getConfiguration().clone();
        thresholds.forEach((layer, t) -> {
            if (!allowed.contains(layer)) {
                throw new IllegalArgumentException("'" + layer + "' is not a ReLU activation layer; activation "
                        + "thresholds go on one of " + allowed);
            }
            if (t == null || t.isNaN() || t < 0) {
                throw new IllegalArgumentException("activation threshold for '" + layer + "' must be >= 0, got " + t);
            }
            ActivationLayer a = (ActivationLayer) ((LayerVertex) conf.getVertices().get(layer)).getLayerConf().getLayer();
            a.setActivationFn(t == 0 ? new ActivationReLU() : new ActivationThresholdedReLU(t));
        });
        ComputationGraph net = new ComputationGraph(conf);
        net.init(model.graph().params().dup(), false);
        return net;
    }

    /** Fraction of exactly-zero outputs of each listed vertex over {@code images}. */
    public static Map<String, Double> sparsity(ComputationGraph net, LabeledImages images, List<String> layers,
                                               Progress progress) {
        long[] zeros = new long[layers.size()];
        long[] total = new long[layers.size()];
        for (int from = 0; from < images.size(); from += BATCH) {
            progress.checkCancelled();
            int to = Math.min(images.size(), from + BATCH);
            Map<String, INDArray> acts = net.feedForward(Batches.features(images, from, to), false);
            for (int k = 0; k < layers.size(); k++) {
                INDArray a = acts.get(layers.get(k));
                total[k] += a.length();
                zeros[k] += a.scan(Conditions.equals(0)).longValue();
            }
            release(acts);
            progress.update((double) to / images.size(), "activations of " + to + " / " + images.size() + " images");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < layers.size(); k++) {
            out.put(layers.get(k), total[k] == 0 ? 0 : (double) zeros[k] / total[k]);
        }
        return out;
    }

    /**
     * The threshold at which a layer's outputs on {@code images} reach {@code targetSparsity} zeros
     * (the quantile of its activations); 0 if plain ReLU already reaches it.
     */
    public static double thresholdFor(ComputationGraph net, LabeledImages images, String layer, double targetSparsity) {
        return thresholdsFor(net, images, List.of(layer), targetSparsity).get(layer);
    }

    /**
     * Thresholds for several layers in one pass over {@code images}, each from the layer's activation
     * quantile (on an evenly strided sample of at most {@value #SAMPLE} values per layer).
     */
    public static Map<String, Double> thresholdsFor(ComputationGraph net, LabeledImages images, List<String> layers,
                                                    double targetSparsity) {
        if (!(targetSparsity >= 0 && targetSparsity < 1)) {
            throw new IllegalArgumentException("target sparsity must be in [0, 1), got " + targetSparsity);
        }
        Map<String, float[]> samples = new LinkedHashMap<>();
        Map<String, Integer> filled = new LinkedHashMap<>();
        for (int from = 0; from < images.size(); from += BATCH) {
            int to = Math.min(images.size(), from + BATCH);
            Map<String, INDArray> acts = net.feedForward(Batches.features(images, from, to), false);
            for (String layer : layers) {
                INDArray a = acts.get(layer);
                long perImage = a.length() / (to - from);
                int stride = (int) Math.max(1, perImage * images.size() / SAMPLE);
                float[] v = a.dup('c').data().asFloat();
                float[] buf = samples.computeIfAbsent(layer,
                        k -> new float[(int) Math.min(SAMPLE, perImage * images.size()) + 1]);
                int n = filled.getOrDefault(layer, 0);
                for (int i = 0; i < v.length && n < buf.length; i += stride) {
                    buf[n++] = v[i];
                }
                filled.put(layer, n);
            }
            release(acts);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String layer : layers) {
            float[] all = Arrays.copyOf(samples.get(layer), filled.get(layer));
            Arrays.sort(all);
            int idx = (int) Math.ceil(targetSparsity * all.length);
            out.put(layer, idx <= 0 ? 0.0 : Math.max(0, all[Math.min(all.length - 1, idx - 1)]));
        }
        return out;
    }

    /** Frees the native memory of a forward pass's activations now rather than at garbage collection. */
    private static void release(Map<String, INDArray> acts) {
        for (INDArray a : acts.values()) {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
    }
}
