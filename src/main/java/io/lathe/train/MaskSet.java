package io.lathe.train;

import io.lathe.compress.Granularity;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.Pruner;
import io.lathe.compress.WeightLayout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pruning masks of a network under fine-tuning: per layer, which weights are kept and, for
 * channel pruning, which channels of the following BatchNorm are switched off. {@link #apply}
 * zeroes everything masked, so pruned weights stay exactly zero whatever the optimizer does.
 * Not thread-safe: used on the engine thread with the network it masks.
 */
public final class MaskSet {
    private final Map<String, LayerMask> masks = new LinkedHashMap<>();
    private final long totalWeights;

    /**
     * One layer's mask.
     *
     * @param keep      0/1 array shaped like the layer's weights
     * @param batchNorm the BatchNorm after the layer, or null
     * @param bnKeep    0/1 per channel of that BatchNorm (null when no channel is removed)
     * @param zeros     masked weights
     */
    public record LayerMask(String layer, INDArray keep, String batchNorm, INDArray bnKeep, long zeros) {
    }

    /** @param totalWeights all prunable weights of the network (the denominator of {@link #sparsity()}) */
    public MaskSet(long totalWeights) {
        this.totalWeights = totalWeights;
    }

    /** Sets a layer's mask from a filters-major keep array (as {@link Pruner#mask} returns). */
    public void set(String layer, boolean[] keepFilters, WeightLayout layout, long[] shape, Granularity granularity,
                    String batchNorm) {
        float[] f = new float[keepFilters.length];
        long zeros = 0;
        for (int i = 0; i < f.length; i++) {
            f[i] = keepFilters[i] ? 1f : 0f;
            if (!keepFilters[i]) {
                zeros++;
            }
        }
        INDArray keep = Nd4j.create(layout.toDl4j(f), shape, 'c');
        INDArray bnKeep = null;
        if (granularity == Granularity.CHANNEL && batchNorm != null && zeros > 0) {
            float[] ch = new float[layout.filters()];
            int per = layout.perFilter();
            for (int o = 0; o < ch.length; o++) {
                ch[o] = keepFilters[o * per] ? 1f : 0f;
            }
            bnKeep = Nd4j.create(ch, new long[]{1, ch.length}, 'c');
        }
        masks.put(layer, new LayerMask(layer, keep, batchNorm, bnKeep, zeros));
    }

    /** Recomputes a layer's mask by magnitude from the network's current weights. */
    public void prune(ComputationGraph net, String layer, PruneSetting setting, String batchNorm) {
        INDArray w = net.getLayer(layer).getParam("W");
        WeightLayout layout = WeightLayout.of(w.shape());
        float[] f = layout.toFilters(w.dup('c').data().asFloat());
        set(layer, Pruner.mask(f, layout, setting), layout, w.shape(), setting.granularity(), batchNorm);
    }

    /**
     * Masks taken from the zeros already in the network (resuming from a checkpoint): every exactly-zero
     * weight of {@code layer} is treated as pruned.
     */
    public void fromZeros(ComputationGraph net, String layer, Granularity granularity, String batchNorm) {
        INDArray w = net.getLayer(layer).getParam("W");
        WeightLayout layout = WeightLayout.of(w.shape());
        float[] f = layout.toFilters(w.dup('c').data().asFloat());
        boolean[] keep = new boolean[f.length];
        for (int i = 0; i < f.length; i++) {
            keep[i] = f[i] != 0f;
        }
        if (granularity == Granularity.CHANNEL) {
            int per = layout.perFilter();
            for (int o = 0; o < layout.filters(); o++) {
                boolean any = false;
                for (int j = 0; j < per; j++) {
                    any |= keep[o * per + j];
                }
                for (int j = 0; j < per && !any; j++) {
                    keep[o * per + j] = false;
                }
            }
        }
        set(layer, keep, layout, w.shape(), granularity, batchNorm);
    }

    /** Zeroes every masked weight (and BatchNorm gamma/beta of removed channels) in {@code net}. */
    public void apply(ComputationGraph net) {
        for (LayerMask m : masks.values()) {
            net.getLayer(m.layer()).getParam("W").muli(m.keep());
            if (m.bnKeep() != null) {
                var bn = net.getLayer(m.batchNorm());
                INDArray gamma = bn.getParam("gamma");
                INDArray beta = bn.getParam("beta");
                gamma.muli(m.bnKeep().reshape(gamma.shape()));
                beta.muli(m.bnKeep().reshape(beta.shape()));
            }
        }
    }

    /** The masks, by layer. */
    public Map<String, LayerMask> layers() {
        return Collections.unmodifiableMap(masks);
    }

    /** Masked weights over all prunable weights. */
    public double sparsity() {
        long zeros = 0;
        for (LayerMask m : masks.values()) {
            zeros += m.zeros();
        }
        return totalWeights == 0 ? 0 : (double) zeros / totalWeights;
    }

    /** Masked fraction of one layer (0 if it has no mask). */
    public double sparsity(String layer) {
        LayerMask m = masks.get(layer);
        return m == null ? 0 : (double) m.zeros() / m.keep().length();
    }
}
