package io.lathe.sensitivity;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One layer's measured sensitivity: validation accuracy with only this layer compressed, per sparsity
 * level and per bit width, all other layers untouched.
 *
 * @param layer        layer name
 * @param weights      weights in the layer's weight tensor
 * @param sparsity     sparsity level → accuracy (fraction), ascending; level 0 is the unchanged network
 * @param bits         bit width → accuracy (fraction), ascending by bits
 * @param stoppedEarly true if early stopping (a floor) left higher levels of this layer unmeasured
 */
public record LayerCurve(String layer, long weights, NavigableMap<Double, Double> sparsity,
                         NavigableMap<Integer, Double> bits, boolean stoppedEarly) {
    public LayerCurve {
        sparsity = Collections.unmodifiableNavigableMap(new TreeMap<>(sparsity));
        bits = Collections.unmodifiableNavigableMap(new TreeMap<>(bits));
    }

    /**
     * Accuracy at a sparsity, interpolated linearly between measured levels; beyond the highest
     * measured level the last accuracy is kept (optimistic, so callers cap layers at that level).
     * {@code baseline} stands for sparsity 0 when level 0 was not measured.
     */
    public double accuracyAt(double s, double baseline) {
        TreeMap<Double, Double> m = new TreeMap<>(sparsity);
        m.putIfAbsent(0.0, baseline);
        var lo = m.floorEntry(s);
        var hi = m.ceilingEntry(s);
        if (lo == null) {
            return hi.getValue();
        }
        if (hi == null || hi.getKey().equals(lo.getKey())) {
            return lo.getValue();
        }
        double t = (s - lo.getKey()) / (hi.getKey() - lo.getKey());
        return lo.getValue() + t * (hi.getValue() - lo.getValue());
    }

    /** Highest sparsity measured, or 0. */
    public double maxMeasuredSparsity() {
        return sparsity.isEmpty() ? 0 : sparsity.lastKey();
    }
}
