package io.lathe.export;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.Quantizer;
import io.lathe.compress.WeightLayout;
import io.lathe.model.BatchNormFold;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds inference-time BatchNormalization into the convolution before it: {@code W' = W·s},
 * {@code b' = β + (b − μ)·s} ({@code b} the convolution's own bias, if any) with {@code s = γ/√(σ²+ε)}
 * per output channel, which removes the BN layer and
 * gives the convolution a bias. Integer-quantized weights stay integer codes: their per-channel scale
 * becomes {@code scale·s} (see {@link WeightCoding#foldedScale}), so the folded weights are defined as
 * {@code (code − zp)·scale'} and a packed file restores them bit for bit.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {
    }

    /** A folded network and the coding of each folded layer's weights. */
    public record Folded(ComputationGraph graph, Map<String, WeightCoding> codings, Map<String, String> foldedBn) {
    }

    /** Convolution → BN pairs that can be folded (see {@link BatchNormFold#pairs}). */
    public static Map<String, String> foldablePairs(ComputationGraphConfiguration conf) {
        return BatchNormFold.pairs(conf);
    }

    /** The folded architecture of {@code graph}: BN layers removed, their convolutions given a bias. Parameters uninitialised. */
    public static ComputationGraph foldedArchitecture(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        BatchNormFold.removeBatchNorms(conf, BatchNormFold.pairs(conf));
        ComputationGraph folded = new ComputationGraph(conf);
        folded.init();
        return folded;
    }

    /**
     * Folds a (compressed) network. {@code layers} are the compressed layers whose weights it holds
     * (may be empty); their codings are carried over to the folded weights.
     */
    public static Folded fold(ComputationGraph graph, Map<String, CompressedLayer> layers) {
        ComputationGraph folded = foldedArchitecture(graph);
        Map<String, String> pairs = foldablePairs(graph.getConfiguration());
        Map<String, WeightCoding> codings = new LinkedHashMap<>();
        for (ParamLayout.Entry e : ParamLayout.of(folded)) {
            String v = e.vertex();
            String bn = pairs.get(v);
            if (bn == null) {
                e.array().assign(graph.getLayer(v).getParam(e.key()));
                if ("W".equals(e.key()) && layers.containsKey(v)) {
                    codings.put(v, WeightCoding.of(layers.get(v), null));
                }
                continue;
            }
            float[][] st = scaleShift(graph, bn);
            if ("b".equals(e.key())) {
                INDArray convBias = graph.getLayer(v).paramTable().get("b");
                float[] shift = BatchNormFold.foldedBias(st, convBias == null ? null : convBias.dup('c').data().asFloat());
                e.array().assign(Nd4j.create(shift, e.array().shape(), 'c'));
                continue;
            }
            INDArray w = graph.getLayer(v).getParam("W");
            float[] f = w.dup('c').data().asFloat();
            WeightLayout layout = WeightLayout.of(w.shape());
            CompressedLayer cl = layers.get(v);
            WeightCoding wc = cl == null ? null : WeightCoding.of(cl, st[0]);
            float[] out = foldWeights(f, layout, st[0], cl, wc);
            e.array().assign(Nd4j.create(out, w.shape(), 'c'));
            if (wc != null) {
                codings.put(v, wc);
            }
        }
        return new Folded(folded, codings, pairs);
    }

    /** The folded weights (DL4J order): integer codes times the folded scale, others times the channel factor. */
    static float[] foldWeights(float[] dl4j, WeightLayout layout, float[] factor, CompressedLayer cl, WeightCoding wc) {
        float[] f = layout.toFilters(dl4j);
        int per = layout.perFilter();
        boolean integer = wc != null && cl.quant().isInteger() && wc.scales().length == layout.filters();
        for (int i = 0; i < f.length; i++) {
            int o = i / per;
            if (wc != null && wc.keep() != null && !wc.keep()[i]) {
                f[i] = 0f;
            } else if (integer) {
                Quantizer.Scale original = cl.scales()[cl.scales().length == 1 ? 0 : o];
                int code = Quantizer.code(f[i], original);
                f[i] = (code - wc.zeroPoints()[o]) * wc.scales()[o];
            } else {
                f[i] = f[i] * factor[o];
            }
        }
        return layout.toDl4j(f);
    }

    /** Per-channel factor {@code s} and shift {@code t} of an inference-time BN layer (see {@link BatchNormFold#scaleShift}). */
    public static float[][] scaleShift(ComputationGraph graph, String bn) {
        return BatchNormFold.scaleShift(graph, bn);
    }

    /** Names of the BN layers removed by folding. */
    public static List<String> removed(Folded f) {
        return new ArrayList<>(f.foldedBn().values());
    }
}
