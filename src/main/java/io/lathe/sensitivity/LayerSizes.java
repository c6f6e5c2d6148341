package io.lathe.sensitivity;

import io.lathe.compress.BlockShape;
import io.lathe.compress.Granularity;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.Pruner;
import io.lathe.compress.WeightLayout;

import java.util.HashMap;
import java.util.Map;

/**
 * Bits a layer's weights take under {@code SizeModel}'s stated encoding at a sparsity and bit width,
 * computed from the real pruning masks (memoized), without building whole compressed layers.
 */
final class LayerSizes {
    private final PlanApplier applier;
    private final Granularity granularity;
    private final String blockShape;
    private final Map<String, float[]> filters = new HashMap<>();
    private final Map<String, Integer> groups = new HashMap<>();
    private final Map<String, Long> kept = new HashMap<>();

    LayerSizes(PlanApplier applier, Granularity granularity, String blockShape) {
        this.applier = applier;
        this.granularity = granularity;
        this.blockShape = blockShape;
    }

    /** Weight bits of {@code layer} pruned to {@code s} and stored at {@code b} bits (per-channel symmetric). */
    double bits(String layer, double s, int b) {
        WeightLayout layout = WeightLayout.of(applier.originals().shape(layer));
        long n = layout.size();
        double body;
        if (s <= 0) {
            body = (double) n * b;
        } else {
            long k = kept(layer, layout, s);
            int g = groups.computeIfAbsent(layer, x -> layout.groups(granularity, BlockShape.parse(blockShape)).count());
            body = Math.min((double) n * b, g + (double) k * b);
        }
        double scales = b <= 8 ? 32.0 * layout.filters() : 0;
        return body + scales;
    }

    private long kept(String layer, WeightLayout layout, double s) {
        return kept.computeIfAbsent(layer + "@" + s, key -> {
            float[] f = filters.computeIfAbsent(layer, x -> layout.toFilters(applier.originals().weights(x)));
            boolean[] keep = Pruner.mask(f, layout, PruneSetting.sparsity(granularity, s).withBlockShape(blockShape));
            long c = 0;
            for (boolean v : keep) {
                if (v) {
                    c++;
                }
            }
            return c;
        });
    }
}
