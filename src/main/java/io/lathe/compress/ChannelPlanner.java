package io.lathe.compress;

import io.lathe.model.CouplingGroup;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which output channels channel-granularity settings remove. A unit is either one free layer
 * or a whole residual coupling group; a group is ranked by group-level importance (the sum over its
 * members of each filter's mean |w| or RMS) and keeps one shared set of channels. Pure function of the
 * plan and the original weights. Output (classifier) layers never lose channels.
 */
public final class ChannelPlanner {
    private ChannelPlanner() {
    }

    /**
     * The channel selection of a plan.
     *
     * @param roundTo round each kept count up to a multiple of this (1 = exact; 8 or 16 suit SIMD kernels)
     */
    public static ChannelSelection select(OriginalWeights weights, LayerTree tree, Plan plan, int roundTo) {
        if (roundTo < 1) {
            throw new IllegalArgumentException("round-to must be 1 or more, got " + roundTo);
        }
        Map<String, int[]> kept = new LinkedHashMap<>();
        Map<String, Integer> original = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (List<String> unit : units(tree)) {
            List<PruneSetting> settings = new ArrayList<>();
            for (String m : unit) {
                PruneSetting p = plan.pruneOf(m);
                if (p.granularity() == Granularity.CHANNEL && !p.isNone()) {
                    settings.add(p);
                }
            }
            if (settings.isEmpty()) {
                continue;
            }
            PruneSetting effective = strongest(settings);
            if (unit.size() > 1 && (settings.size() < unit.size() || new LinkedHashSet<>(settings).size() > 1)) {
                notes.add("Coupling group " + unit + " shares one set of channels: pruned with "
                        + describe(effective) + " (the strongest member setting).");
            }
            int[] keep = keptChannels(weights, unit, effective, roundTo);
            int n = (int) weights.shape(unit.get(0))[weights.shape(unit.get(0)).length == 4 ? 0 : 1];
            if (keep.length == n) {
                continue;
            }
            for (String m : unit) {
                kept.put(m, keep.clone());
                original.put(m, n);
            }
        }
        return new ChannelSelection(kept, original, notes);
    }

    /** Per-channel group importance of a unit: the sum of each member's filter importance. */
    public static float[] importance(OriginalWeights weights, List<String> unit, String criterion) {
        float[] sum = null;
        for (String m : unit) {
            WeightLayout layout = WeightLayout.of(weights.shape(m));
            float[] f = layout.toFilters(weights.weights(m));
            float[] imp = Pruner.importance(f, layout.groups(Granularity.CHANNEL, BlockShape.parse("1x1")), criterion);
            if (sum == null) {
                sum = imp;
            } else {
                if (imp.length != sum.length) {
                    throw new IllegalStateException("coupled layers " + unit + " have different channel counts");
                }
                for (int c = 0; c < imp.length; c++) {
                    sum[c] += imp[c];
                }
            }
        }
        return sum;
    }

    /**
     * The pruning units of a tree: each coupling group, then each free conv/dense layer, in execution
     * order of their first member. Output layers are left out.
     */
    public static List<List<String>> units(LayerTree tree) {
        List<List<String>> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (LayerInfo l : tree.prunableLayers()) {
            if (seen.contains(l.name()) || l.kind() == LayerKind.OUTPUT) {
                continue;
            }
            CouplingGroup g = tree.groupOf(l.name());
            List<String> unit = g == null ? List.of(l.name()) : g.members();
            boolean hasOutput = unit.stream().anyMatch(m -> tree.layer(m).kind() == LayerKind.OUTPUT);
            seen.addAll(unit);
            if (!hasOutput) {
                out.add(unit);
            }
        }
        return out;
    }

    private static int[] keptChannels(OriginalWeights weights, List<String> unit, PruneSetting s, int roundTo) {
        float[] imp = importance(weights, unit, s.criterion());
        int n = imp.length;
        int keepCount;
        if (s.sparsity() != null) {
            keepCount = n - (int) Math.round(s.sparsity() * n);
        } else {
            keepCount = 0;
            for (float v : imp) {
                if (v / unit.size() >= s.threshold()) {
                    keepCount++;
                }
            }
        }
        keepCount = Math.max(1, keepCount);
        if (roundTo > 1) {
            keepCount = Math.min(n, ((keepCount + roundTo - 1) / roundTo) * roundTo);
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Float.compare(imp[a], imp[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        boolean[] keep = new boolean[n];
        for (int i = n - keepCount; i < n; i++) {
            keep[idx[i]] = true;
        }
        int[] out = new int[keepCount];
        int k = 0;
        for (int c = 0; c < n; c++) {
            if (keep[c]) {
                out[k++] = c;
            }
        }
        return out;
    }

    private static PruneSetting strongest(List<PruneSetting> settings) {
        PruneSetting best = null;
        for (PruneSetting p : settings) {
            if (best == null) {
                best = p;
            } else if (p.sparsity() != null && (best.sparsity() == null || p.sparsity() > best.sparsity())) {
                best = p;
            } else if (p.threshold() != null && best.threshold() != null && p.threshold() > best.threshold()) {
                best = p;
            }
        }
        return best;
    }

    private static String describe(PruneSetting p) {
        return p.sparsity() != null ? String.format("sparsity %.2f", p.sparsity())
                : String.format("threshold %.4g", p.threshold());
    }
}
