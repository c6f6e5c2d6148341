package io.lathe.sensitivity;

import io.lathe.compress.Granularity;
import io.lathe.compress.PruneSetting;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a sensitivity sweep measures: which layers, which sparsity levels at which granularity, which
 * bit widths, and an optional early-stopping floor. Validated on construction against nothing but
 * itself; {@link #checkAgainst(LayerTree)} checks the layer names against a model.
 *
 * @param layers      layer names to sweep, in the order given (never empty)
 * @param sparsities  sparsity levels in [0, 1), ascending, distinct (may be empty to skip the sparsity sweep)
 * @param bits        bit widths, each 2..8, 16 or 32, descending, distinct (may be empty to skip)
 * @param granularity pruning granularity of the sparsity sweep
 * @param blockShape  block rows×cols for block granularity (e.g. "1x4")
 * @param floor       early stopping: once a layer's accuracy falls below this fraction, its higher
 *                    sparsities (lower bit widths) are not measured; null = measure everything
 */
public record SweepSpec(List<String> layers, double[] sparsities, int[] bits, Granularity granularity,
                        String blockShape, Double floor) {
    /** The default sparsity levels: 0, 10, …, 90, 95, 98%. */
    public static final double[] DEFAULT_SPARSITIES = {0, .1, .2, .3, .4, .5, .6, .7, .8, .9, .95, .98};
    /** The default bit widths. */
    public static final int[] DEFAULT_BITS = {8, 6, 4, 3, 2};

    public SweepSpec {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("the layer list is empty: name at least one layer, or leave it out "
                    + "to sweep every prunable layer");
        }
        layers = List.copyOf(new LinkedHashSet<>(layers));
        sparsities = normalizeSparsities(sparsities);
        bits = normalizeBits(bits);
        if (granularity == null) {
            granularity = Granularity.ELEMENT;
        }
        blockShape = blockShape == null ? "1x4" : blockShape;
        PruneSetting.sparsity(granularity, 0).withBlockShape(blockShape);
        if (floor != null && (floor.isNaN() || floor < 0 || floor > 1)) {
            throw new IllegalArgumentException("the early-stopping floor must be an accuracy between 0 and 1, got " + floor);
        }
        if (sparsities.length == 0 && bits.length == 0) {
            throw new IllegalArgumentException("nothing to measure: give at least one sparsity level or one bit width");
        }
    }

    /** The default sweep of every prunable layer of a model. */
    public static SweepSpec defaults(LayerTree tree) {
        return new SweepSpec(tree.prunableLayers().stream().map(LayerInfo::name).toList(), DEFAULT_SPARSITIES,
                DEFAULT_BITS, Granularity.ELEMENT, "1x4", null);
    }

    /** A copy with other layers. */
    public SweepSpec withLayers(List<String> names) {
        return new SweepSpec(names, sparsities, bits, granularity, blockShape, floor);
    }

    /** A copy measuring only sparsity (no bit widths). */
    public SweepSpec sparsityOnly() {
        return new SweepSpec(layers, sparsities, new int[0], granularity, blockShape, floor);
    }

    /** Refuses layer names the model does not have or cannot prune, naming them. */
    public void checkAgainst(LayerTree tree) {
        List<String> unknown = new ArrayList<>();
        List<String> notPrunable = new ArrayList<>();
        for (String l : layers) {
            LayerInfo info = tree.layer(l);
            if (info == null) {
                unknown.add(l);
            } else if (!info.prunable()) {
                notPrunable.add(l);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown layer" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + ": see 'lathe info --model ...' for the layer names");
        }
        if (!notPrunable.isEmpty()) {
            throw new IllegalArgumentException("layer" + (notPrunable.size() > 1 ? "s " : " ") + notPrunable
                    + " cannot be pruned or quantized (no weight tensor): pick convolution or dense layers");
        }
    }

    private static double[] normalizeSparsities(double[] s) {
        if (s == null) {
            return DEFAULT_SPARSITIES.clone();
        }
        for (double v : s) {
            if (Double.isNaN(v) || v < 0 || v >= 1) {
                throw new IllegalArgumentException("sparsity level " + v + " is outside 0-1: use fractions such as "
                        + "0.5 for 50% (1 itself, removing every weight, is not allowed)");
            }
        }
        return Arrays.stream(s).distinct().sorted().toArray();
    }

    private static int[] normalizeBits(int[] b) {
        if (b == null) {
            return DEFAULT_BITS.clone();
        }
        for (int v : b) {
            if (v < 2 || v > 32) {
                throw new IllegalArgumentException("bit width " + v + " is outside 2-32: use 2..8 (integer), 16 (FP16) "
                        + "or 32 (unchanged)");
            }
            if (v > 8 && v != 16 && v != 32) {
                throw new IllegalArgumentException("bit width " + v + " is not supported: use 2..8 (integer), 16 (FP16) "
                        + "or 32 (unchanged)");
            }
        }
        return Arrays.stream(b).distinct().boxed().sorted((x, y) -> Integer.compare(y, x)).mapToInt(Integer::intValue)
                .toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SweepSpec s && layers.equals(s.layers) && Arrays.equals(sparsities, s.sparsities)
                && Arrays.equals(bits, s.bits) && granularity == s.granularity && blockShape.equals(s.blockShape)
                && java.util.Objects.equals(floor, s.floor);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(layers, Arrays.hashCode(sparsities), Arrays.hashCode(bits), granularity,
                blockShape, floor);
    }

    @Override
    public String toString() {
        return "SweepSpec[" + layers.size() + " layers, sparsities " + Arrays.toString(sparsities) + ", bits "
                + Arrays.toString(bits) + ", " + granularity.key() + (floor == null ? "" : ", floor " + floor) + "]";
    }
}
