package io.lathe.compress;

import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link Plan} to a model. Works on a copy of the network and on the cached original
 * weights, so the loaded model is never changed. Not thread-safe per instance of the copy it writes.
 */
public final class PlanApplier {
    private final LoadedModel model;
    private final LayerTree tree;
    private final OriginalWeights originals;
    private final Map<String, String> bnAfter = new HashMap<>();
    private final Map<String, Svd> svds = new java.util.concurrent.ConcurrentHashMap<>();
    private Plan lastPlan;
    private ChannelSelection lastSelection;

    public PlanApplier(LoadedModel model, LayerTree tree) {
        this.model = model;
        this.tree = tree;
        this.originals = OriginalWeights.of(model.graph(), tree);
        for (LayerInfo l : tree.layers()) {
            if (l.kind() == LayerKind.BATCH_NORM && l.inputs().size() == 1) {
                bnAfter.put(l.inputs().get(0), l.name());
            }
        }
    }

    public OriginalWeights originals() {
        return originals;
    }

    public LayerTree tree() {
        return tree;
    }

    public LoadedModel model() {
        return model;
    }

    /** Compresses every prunable layer under the plan (no network involved). */
    public Map<String, CompressedLayer> compressLayers(Plan plan) {
        ChannelSelection channels = channelSelection(plan);
        Map<String, CompressedLayer> out = new LinkedHashMap<>();
        for (String name : originals.layers()) {
            out.put(name, compressLayer(plan, name, channels));
        }
        return out;
    }

    /** Compresses one layer under the plan. */
    public CompressedLayer compressLayer(Plan plan, String name) {
        return compressLayer(plan, name, channelSelection(plan));
    }

    private CompressedLayer compressLayer(Plan plan, String name, ChannelSelection channels) {
        PruneSetting prune = plan.pruneOf(name);
        LayerInfo info = tree.layer(name);
        if (prune.granularity() == Granularity.CHANNEL && info != null && info.kind() == LayerKind.OUTPUT) {
            prune = PruneSetting.NONE;
        }
        LowRankSetting lowRank = plan.lowRankOf(name);
        if (!lowRank.isNone()) {
            return CompressedLayer.factored(name, originals.shape(name), originals.weights(name), svdOf(name), lowRank,
                    prune, plan.quantOf(name), plan.shareOf(name));
        }
        return CompressedLayer.of(name, originals.shape(name), originals.weights(name), prune,
                plan.quantOf(name), plan.shareOf(name), channels.keepFlags(name));
    }

    /** The singular value decomposition of a layer's original weights (computed once, then kept). */
    public Svd svdOf(String layer) {
        return svds.computeIfAbsent(layer, l -> {
            long[] shape = originals.shape(l);
            return Factorization.svd(originals.weights(l), shape, Factorization.modeOf(shape));
        });
    }

    /**
     * Which channels the plan's channel-granularity settings remove (coupling groups share one set);
     * the physically smaller network removes exactly these. Cached for the last plan asked about.
     */
    public synchronized ChannelSelection channelSelection(Plan plan) {
        if (!plan.equals(lastPlan)) {
            lastSelection = ChannelPlanner.select(originals, tree, plan, 1);
            lastPlan = plan;
        }
        return lastSelection;
    }

    /** Applies the plan to a fresh copy of the network. */
    public CompressedModel apply(Plan plan) {
        ComputationGraph copy = model.copyGraph();
        Map<String, CompressedLayer> layers = compressLayers(plan);
        for (CompressedLayer l : layers.values()) {
            write(copy, l);
        }
        writeActivations(copy, plan);
        return new CompressedModel(plan, copy, layers, stats(layers));
    }

    /** The ReLU layers a plan can give an activation threshold, in execution order. */
    public List<String> activationLayers() {
        List<String> out = new ArrayList<>();
        for (LayerInfo l : tree.layers()) {
            if (l.kind() == LayerKind.ACTIVATION && reluOf(model.graph(), l.name()) != null) {
                out.add(l.name());
            }
        }
        return out;
    }

    /** Gives every ReLU layer of {@code target} (a copy of the model) the plan's threshold, plain ReLU elsewhere. */
    public void writeActivations(ComputationGraph target, Plan plan) {
        for (String layer : plan.activationThresholds().keySet()) {
            if (reluOf(model.graph(), layer) == null) {
                throw new IllegalArgumentException("'" + layer + "' is not a ReLU activation layer; activation thresholds "
                        + "go on one of " + activationLayers());
            }
        }
        for (String layer : activationLayers()) {
            writeActivation(target, layer, plan.activationOf(layer));
        }
    }

    /** Sets one ReLU layer's threshold in {@code target} (its configuration, shared by the layer object). */
    public static void writeActivation(ComputationGraph target, String layer, ActivationSetting setting) {
        org.deeplearning4j.nn.conf.layers.ActivationLayer a = reluOf(target, layer);
        if (a == null) {
            throw new IllegalArgumentException("'" + layer + "' is not a ReLU activation layer");
        }
        a.setActivationFn(setting.isNone() ? new org.nd4j.linalg.activations.impl.ActivationReLU()
                : new org.nd4j.linalg.activations.impl.ActivationThresholdedReLU(setting.threshold()));
        org.deeplearning4j.nn.conf.layers.Layer live = target.getLayer(layer).conf().getLayer();
        if (live != a && live instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer la) {
            la.setActivationFn(a.getActivationFn());
        }
    }

    /** The ReLU (or thresholded ReLU) activation layer configuration of a vertex, or null. */
    public static org.deeplearning4j.nn.conf.layers.ActivationLayer reluOf(ComputationGraph g, String layer) {
        if (g.getConfiguration().getVertices().get(layer) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer a
                && (a.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationReLU
                || a.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationThresholdedReLU)) {
            return a;
        }
        return null;
    }

    /**
     * Writes one compressed layer into {@code target} (a copy of the model), restoring BatchNorm
     * parameters of its following BN from the original first, then zeroing those of removed channels.
     */
    public void write(ComputationGraph target, CompressedLayer l) {
        INDArray w = target.getLayer(l.name()).getParam("W");
        w.assign(Nd4j.create(l.weights(), w.shape(), 'c'));
        String bn = bnAfter.get(l.name());
        if (bn == null) {
            return;
        }
        INDArray gamma = target.getLayer(bn).getParam("gamma");
        INDArray beta = target.getLayer(bn).getParam("beta");
        if (gamma == null || beta == null) {
            return;
        }
        gamma.assign(model.graph().getLayer(bn).getParam("gamma"));
        beta.assign(model.graph().getLayer(bn).getParam("beta"));
        boolean[] removed = l.removedChannels();
        for (int c = 0; c < removed.length; c++) {
            if (removed[c]) {
                gamma.putScalar(c, 0);
                beta.putScalar(c, 0);
            }
        }
    }

    /**
     * Dense and non-zero MACs per image of a factorized layer: the second factor runs at the layer's
     * output size; a spatial first factor (kh×1, vertical stride only) at the output height and the
     * input width (output width × horizontal stride).
     */
    static long[] factoredMacs(LayerInfo info, CompressedLayer.Factored f) {
        long perWeight = info.weights() == 0 ? 1 : info.macs() / info.weights();
        long perWeightFirst = perWeight * (f.mode() == Factorization.Mode.SPATIAL ? Math.max(1, info.stride()[1]) : 1);
        long dense = f.first().layout().size() * perWeightFirst + f.second().layout().size() * perWeight;
        long nz = f.first().nonZero() * perWeightFirst + f.second().nonZero() * perWeight;
        return new long[]{dense, nz};
    }

    /** The BatchNorm layer directly after {@code layer}, or null. */
    public String batchNormAfter(String layer) {
        return bnAfter.get(layer);
    }

    /** Size and work figures for a set of compressed layers. */
    public ModelStats stats(Map<String, CompressedLayer> layers) {
        long totalParams = 0;
        long weightParams = 0;
        long nonZero = 0;
        long sizeBits = 0;
        long macs = 0;
        long nzMacs = 0;
        long zeros = 0;
        List<ModelStats.LayerStats> rows = new ArrayList<>();
        for (LayerInfo info : tree.layers()) {
            totalParams += info.params();
            macs += info.macs();
            CompressedLayer c = layers.get(info.name());
            long other = info.params() - info.weights();
            if (c == null) {
                nonZero += info.params();
                sizeBits += 32L * info.params();
                nzMacs += info.macs();
                continue;
            }
            weightParams += info.weights();
            zeros += info.weights() - c.nonZero();
            nonZero += c.nonZero() + other;
            long bits = c.sizeBits();
            sizeBits += bits + 32L * other;
            long layerMacs = info.macs();
            long lm;
            if (c.factored() != null) {
                long[] m = factoredMacs(info, c.factored());
                layerMacs = m[0];
                macs += m[0] - info.macs();
                lm = m[1];
            } else {
                double density = info.weights() == 0 ? 1 : (double) c.nonZero() / info.weights();
                lm = Math.round(info.macs() * density);
            }
            nzMacs += lm;
            String speed;
            if (c.factored() != null) {
                speed = "latency-real";
            } else if (c.prune().isNone() && c.quant().isNone() && c.codebook() == null) {
                speed = "none";
            } else if (!c.prune().isNone() && c.prune().granularity() == Granularity.CHANNEL && c.sparsity() > 0) {
                speed = "latency-real";
            } else {
                speed = "size-only";
            }
            rows.add(new ModelStats.LayerStats(info.name(), info.params(), info.weights(), c.nonZero(), c.sparsity(),
                    c.effectiveBits(), c.prune().granularity().key(), c.threshold(), bits, layerMacs, lm, speed));
        }
        double sparsity = weightParams == 0 ? 0 : (double) zeros / weightParams;
        return new ModelStats(totalParams, weightParams, nonZero, sparsity, SizeModel.bytes(sizeBits),
                4L * totalParams, macs, nzMacs, rows);
    }
}
