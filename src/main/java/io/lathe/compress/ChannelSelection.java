package io.lathe.compress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which output channels every channel-pruned layer keeps, decided once for a plan so that the masked
 * preview and the physically smaller network remove exactly the same channels. Members of a residual
 * coupling group always share one kept set. Immutable.
 *
 * @param kept     layer name → kept original channel indices, ascending (only layers that lose channels)
 * @param original layer name → its original output channel count (same keys as {@code kept})
 * @param notes    remarks for the user (e.g. a coupling group whose members asked for different sparsities)
 */
public record ChannelSelection(Map<String, int[]> kept, Map<String, Integer> original, List<String> notes) {
    public ChannelSelection {
        kept = Collections.unmodifiableMap(new LinkedHashMap<>(kept));
        original = Collections.unmodifiableMap(new LinkedHashMap<>(original));
        notes = List.copyOf(notes);
    }

    /** The selection that removes nothing. */
    public static ChannelSelection none() {
        return new ChannelSelection(Map.of(), Map.of(), List.of());
    }

    /** True if no layer loses channels. */
    public boolean isEmpty() {
        return kept.isEmpty();
    }

    /** True if {@code layer} loses output channels. */
    public boolean prunes(String layer) {
        return kept.containsKey(layer);
    }

    /** Kept original channel indices of a layer, or null if it keeps all of them. */
    public int[] keptOf(String layer) {
        int[] k = kept.get(layer);
        return k == null ? null : k.clone();
    }

    /** Per-channel keep flags of a pruned layer (true = kept), or null if it keeps all. */
    public boolean[] keepFlags(String layer) {
        int[] k = kept.get(layer);
        if (k == null) {
            return null;
        }
        boolean[] flags = new boolean[original.get(layer)];
        for (int c : k) {
            flags[c] = true;
        }
        return flags;
    }

    /** Fraction of a layer's output channels removed (0 if untouched). */
    public double removedFraction(String layer) {
        int[] k = kept.get(layer);
        return k == null ? 0 : 1.0 - (double) k.length / original.get(layer);
    }
}
