package io.lathe.train;

import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.OriginalWeights;
import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Splits a global element sparsity across layers with the Erdős–Rényi-kernel rule (Evci et al.,
 * "Rigging the Lottery", 2020): a layer's density is proportional to (sum of its weight dimensions) /
 * (number of its weights), so small layers (the stem conv, 1×1 shortcuts, the classifier) stay denser
 * and the big 3×3 convolutions of the last stage are pruned hardest. Layers whose density would
 * exceed 1 are kept dense and the rest rescaled. Pure functions.
 */
public final class ErkAllocation {
    private ErkAllocation() {
    }

    /** Per-layer sparsity (fraction removed) reaching {@code target} over all the given weights. */
    public static Map<String, Double> sparsities(Map<String, long[]> shapes, double target) {
        if (!(target >= 0 && target < 1)) {
            throw new IllegalArgumentException("target sparsity must be in [0, 1), got " + target);
        }
        long total = 0;
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Double> raw = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            long n = 1;
            long sum = 0;
            for (long d : shape) {
                n *= d;
                sum += d;
            }
            sizes.put(name, n);
            raw.put(name, (double) sum / n);
        });
        for (long n : sizes.values()) {
            total += n;
        }
        Set<String> dense = new HashSet<>();
        Map<String, Double> density = new LinkedHashMap<>();
        while (true) {
            double keepBudget = (1 - target) * total;
            double weighted = 0;
            for (String l : sizes.keySet()) {
                if (dense.contains(l)) {
                    keepBudget -= sizes.get(l);
                } else {
                    weighted += raw.get(l) * sizes.get(l);
                }
            }
            double eps = weighted == 0 ? 0 : keepBudget / weighted;
            boolean capped = false;
            for (String l : sizes.keySet()) {
                if (!dense.contains(l) && eps * raw.get(l) >= 1) {
                    dense.add(l);
                    capped = true;
                }
            }
            if (!capped) {
                for (String l : sizes.keySet()) {
                    density.put(l, dense.contains(l) ? 1.0 : Math.max(0, eps * raw.get(l)));
                }
                break;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        density.forEach((l, d) -> out.put(l, Math.min(0.999, 1 - d)));
        return out;
    }

    /** A plan with ERK element sparsities for {@code target} and {@code quant} on every layer. */
    public static Plan plan(String modelName, String sha256, OriginalWeights originals, double target,
                            QuantSetting quant) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String l : originals.layers()) {
            shapes.put(l, originals.shape(l));
        }
        Plan p = Plan.empty(modelName, sha256).withDefaults(PruneSetting.NONE, quant);
        for (var e : sparsities(shapes, target).entrySet()) {
            if (e.getValue() > 0) {
                double rounded = Math.round(e.getValue() * 1e4) / 1e4;
                p = p.with(e.getKey(), new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, rounded), null,
                        false));
            }
        }
        return p;
    }
}
