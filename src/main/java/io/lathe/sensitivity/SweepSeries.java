package io.lathe.sensitivity;

import java.util.Arrays;

/**
 * The variants of one layer that a sweep still has to measure in one of its two kinds: the layer
 * pruned to each sparsity level, or quantized to each bit width, in the order the sweep measures them
 * (early stopping skips the rest of a series once a level falls below the floor).
 *
 * @param layer  layer name
 * @param bits   true for bit widths, false for sparsity levels
 * @param levels sparsity fractions, or bit widths as doubles, in measuring order (never empty)
 */
public record SweepSeries(String layer, boolean bits, double[] levels) implements java.io.Serializable {
    public SweepSeries {
        if (levels.length == 0) {
            throw new IllegalArgumentException("a series of " + layer + " without levels");
        }
        levels = levels.clone();
    }

    /** The same layer and kind with only the level at {@code index}. */
    public SweepSeries single(int index) {
        return new SweepSeries(layer, bits, new double[]{levels[index]});
    }

    @Override
    public double[] levels() {
        return levels.clone();
    }

    /** Number of levels. */
    public int size() {
        return levels.length;
    }

    /** The level at {@code index}. */
    public double level(int index) {
        return levels[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SweepSeries s && layer.equals(s.layer) && bits == s.bits && Arrays.equals(levels, s.levels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * layer.hashCode() + Boolean.hashCode(bits)) + Arrays.hashCode(levels);
    }

    @Override
    public String toString() {
        return layer + (bits ? " bits " : " sparsity ") + Arrays.toString(levels);
    }
}
