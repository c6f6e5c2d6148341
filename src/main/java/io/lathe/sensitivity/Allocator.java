package io.lathe.sensitivity;

import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.model.CouplingGroup;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes per-layer sparsity (and bit widths for size goals) from measured sensitivity curves.
 * Greedy over the lower convex hull of each unit's (compression gained, accuracy drop) points,
 * which is the Lagrangian solution of the convexified problem: steps are taken cheapest first
 * (lowest drop per weight removed, or per bit saved), the last one partially so the goal is met
 * exactly. A unit is one layer, or for channel granularity a residual coupling group whose layers
 * move together. Drops of several layers are assumed to add up. Pinned (locked) layers keep their
 * base-plan settings and count toward the goal; a pinned member pins its whole coupling group.
 * Layers are capped at {@link Options#maxSparsity} (the stem and tiny layers at
 * {@link Options#smallLayerMaxSparsity} and at least {@link Options#smallLayerMinBits} bits) and never
 * beyond their highest measured level. Pure computation apart from compressing weights; engine thread.
 */
public final class Allocator {
    /** Caps that keep an allocation away from the curves' unmeasured or fragile regions. */
    public record Options(double maxSparsity, double smallLayerMaxSparsity, int smallLayerMinBits,
                          double smallLayerFraction) {
        public static Options defaults() {
            return new Options(0.95, 0.5, 4, 0.005);
        }
    }

    private final PlanApplier applier;
    private final SensitivityCurves prune;
    private final SensitivityCurves bits;
    private final Options options;
    private final LayerSizes sizes;

    /**
     * @param prune sparsity curves (their granularity is the allocation's)
     * @param bits  curves with bit widths (may be the same object), or null for sparsity-only goals
     */
    public Allocator(PlanApplier applier, SensitivityCurves prune, SensitivityCurves bits, Options options) {
        this.applier = applier;
        this.prune = prune;
        this.bits = bits;
        this.options = options;
        this.sizes = new LayerSizes(applier, prune.granularity(), prune.blockShape());
    }

    /** One option of a unit: a sparsity and a bit width, what it gains and what it costs. */
    private record Option(double sparsity, int bits, double gain, double drop) {
    }

    /** A hull step of one unit. */
    private record Step(Unit unit, Option from, Option to) {
        double slope() {
            return (to.drop - from.drop) / (to.gain - from.gain);
        }
    }

    /** Layers that move together. */
    private record Unit(List<String> layers, long weights, double cap, int minBits) {
    }

    /** Allocates for a goal, keeping the base plan's pinned layers. */
    public Allocation allocate(AllocationGoal goal, Plan base) {
        if (goal.usesBits() && (bits == null || bits.bitLevels().length == 0)) {
            throw new IllegalArgumentException("a size goal needs bit-width curves: run the sweep with --bits");
        }
        LayerTree tree = applier.tree();
        List<Unit> units = units(base, tree);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("nothing to allocate: every swept layer is pinned");
        }
        Map<String, Double> sp = new LinkedHashMap<>();
        Map<String, Integer> bw = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        for (Unit u : units) {
            for (String l : u.layers) {
                sp.put(l, 0.0);
                bw.put(l, 32);
            }
            steps.addAll(hull(u, options(u, goal.usesBits())));
        }
        steps.sort(Comparator.comparingDouble(Step::slope).thenComparingDouble(s -> s.to.gain - s.from.gain));
        double need = needed(goal, base, units);
        double gained = 0;
        double dropped = 0;
        for (Step s : steps) {
            double dGain = s.to.gain - s.from.gain;
            double dDrop = s.to.drop - s.from.drop;
            boolean last = switch (goal.kind()) {
                case SPARSITY, SIZE_KB -> gained + dGain >= need;
                case MAX_DROP -> dDrop > 0 && dropped + dDrop > need;
            };
            if (!last) {
                set(s.unit, s.to.sparsity, s.to.bits, sp, bw);
                gained += dGain;
                dropped += dDrop;
                continue;
            }
            double t = goal.kind() == AllocationGoal.Kind.MAX_DROP ? (need - dropped) / dDrop : (need - gained) / dGain;
            dropped += partial(s, t, goal, need - gained, sp, bw);
            gained = need;
            break;
        }
        if (goal.kind() != AllocationGoal.Kind.MAX_DROP && gained < need * (1 - 1e-9)) {
            throw new IllegalArgumentException("the goal (" + goal + ") cannot be reached with per-layer caps of "
                    + Math.round(100 * options.maxSparsity) + "% sparsity (stem and tiny layers "
                    + Math.round(100 * options.smallLayerMaxSparsity) + "%)" + (goal.usesBits() ? " and "
                    + Math.min(2, bits.bitLevels()[bits.bitLevels().length - 1]) + "+ bits" : "")
                    + ", the highest measured levels and the pinned layers: choose a less aggressive goal");
        }
        Plan plan = toPlan(base, sp, bw);
        ModelStats stats = applier.stats(applier.compressLayers(plan));
        return new Allocation(goal, plan, sp, bw, 100 * Math.max(0, dropped), stats);
    }

    private List<Unit> units(Plan base, LayerTree tree) {
        long total = tree.prunableLayers().stream().mapToLong(LayerInfo::weights).sum();
        String stem = stem(tree);
        List<Unit> units = new ArrayList<>();
        Map<String, Boolean> used = new HashMap<>();
        for (LayerCurve c : prune.layers()) {
            String l = c.layer();
            if (used.containsKey(l) || base.isLocked(l) || c.sparsity().isEmpty()) {
                continue;
            }
            List<String> members = new ArrayList<>(List.of(l));
            CouplingGroup g = prune.granularity() == Granularity.CHANNEL ? tree.groupOf(l) : null;
            if (g != null) {
                members = new ArrayList<>(g.members());
                if (members.stream().anyMatch(base::isLocked)
                        || members.stream().anyMatch(m -> prune.curve(m) == null || prune.curve(m).sparsity().isEmpty())) {
                    members.forEach(m -> used.put(m, true));
                    continue;
                }
            }
            long w = 0;
            double cap = options.maxSparsity;
            int minBits = 2;
            for (String m : members) {
                used.put(m, true);
                long mw = tree.layer(m).weights();
                w += mw;
                if (m.equals(stem) || mw < options.smallLayerFraction * total) {
                    cap = Math.min(cap, options.smallLayerMaxSparsity);
                    minBits = Math.max(minBits, options.smallLayerMinBits);
                }
                cap = Math.min(cap, prune.curve(m).maxMeasuredSparsity());
            }
            units.add(new Unit(members, w, cap, minBits));
        }
        return units;
    }

    /** The first prunable layer fed by the network input. */
    private static String stem(LayerTree tree) {
        for (LayerInfo l : tree.prunableLayers()) {
            if (l.inputs().stream().noneMatch(i -> tree.layer(i) != null)) {
                return l.name();
            }
        }
        return tree.prunableLayers().isEmpty() ? null : tree.prunableLayers().get(0).name();
    }

    private List<Option> options(Unit u, boolean withBits) {
        List<Double> levels = new ArrayList<>();
        for (double s : prune.sparsityLevels()) {
            if (s <= u.cap + 1e-12) {
                levels.add(s);
            }
        }
        if (!levels.contains(0.0)) {
            levels.add(0, 0.0);
        }
        if (levels.get(levels.size() - 1) < u.cap - 1e-12) {
            levels.add(u.cap);
        }
        List<Integer> widths = new ArrayList<>(List.of(32));
        if (withBits) {
            for (int b : bits.bitLevels()) {
                if (b >= u.minBits && b != 32 && allHaveBits(u, b)) {
                    widths.add(b);
                }
            }
        }
        List<Option> out = new ArrayList<>();
        for (double s : levels) {
            for (int b : widths) {
                double drop = 0;
                double gain = 0;
                for (String l : u.layers) {
                    drop += pruneDrop(l, s) + (b == 32 ? 0 : bitsDrop(l, b));
                    gain += withBits ? sizes.bits(l, 0, 32) - sizes.bits(l, s, b) : s * applier.tree().layer(l).weights();
                }
                out.add(new Option(s, b, gain, drop));
            }
        }
        return out;
    }

    private boolean allHaveBits(Unit u, int b) {
        return u.layers.stream().allMatch(l -> bits.curve(l) != null && bits.curve(l).bits().containsKey(b));
    }

    /** Accuracy drop (fraction) of a layer at a sparsity: monotone envelope of the measured curve, ≥ 0. */
    private double pruneDrop(String layer, double s) {
        LayerCurve c = prune.curve(layer);
        double worst = 0;
        for (var e : c.sparsity().entrySet()) {
            if (e.getKey() <= s) {
                worst = Math.max(worst, prune.baseline() - e.getValue());
            }
        }
        return Math.max(worst, prune.baseline() - c.accuracyAt(s, prune.baseline()));
    }

    private double bitsDrop(String layer, int b) {
        double worst = 0;
        for (var e : bits.curve(layer).bits().entrySet()) {
            if (e.getKey() >= b) {
                worst = Math.max(worst, bits.baseline() - e.getValue());
            }
        }
        return worst;
    }

    /** Lower convex hull from the origin option, as steps of increasing slope. */
    private static List<Step> hull(Unit u, List<Option> options) {
        List<Option> pts = new ArrayList<>(options);
        pts.sort(Comparator.comparingDouble(Option::gain).thenComparingDouble(Option::drop));
        List<Option> h = new ArrayList<>();
        h.add(new Option(0, 32, 0, 0));
        for (Option p : pts) {
            if (p.gain <= h.get(h.size() - 1).gain + 1e-12) {
                continue;
            }
            while (h.size() >= 2) {
                Option a = h.get(h.size() - 2);
                Option b = h.get(h.size() - 1);
                double cross = (b.gain - a.gain) * (p.drop - a.drop) - (b.drop - a.drop) * (p.gain - a.gain);
                if (cross <= 0) {
                    h.remove(h.size() - 1);
                } else {
                    break;
                }
            }
            h.add(p);
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i < h.size(); i++) {
            steps.add(new Step(u, h.get(i - 1), h.get(i)));
        }
        return steps;
    }

    /** Weights to remove, bits to save or drop allowed (fraction), beyond what pinned layers contribute. */
    private double needed(AllocationGoal goal, Plan base, List<Unit> units) {
        Plan fixedOnly = base;
        for (Unit u : units) {
            for (String l : u.layers) {
                fixedOnly = fixedOnly.with(l, new LayerSettings(PruneSetting.NONE, QuantSetting.NONE, false));
            }
        }
        ModelStats fixed = applier.stats(applier.compressLayers(fixedOnly));
        return switch (goal.kind()) {
            case SPARSITY -> goal.value() * fixed.weightParams() - fixed.sparsity() * fixed.weightParams();
            case SIZE_KB -> 8.0 * (fixed.sizeBytes() - goal.value() * 1000);
            case MAX_DROP -> goal.value() / 100;
        };
    }

    /** Applies step {@code s} partially; returns the drop it adds. */
    private double partial(Step s, double t, AllocationGoal goal, double gainLeft, Map<String, Double> sp,
                           Map<String, Integer> bw) {
        t = Math.max(0, Math.min(1, t));
        Option a = s.from;
        Option b = s.to;
        if (a.bits == b.bits) {
            double sparsity = a.sparsity + t * (b.sparsity - a.sparsity);
            set(s.unit, sparsity, a.bits, sp, bw);
            return a.drop + t * (b.drop - a.drop) - a.drop;
        }
        if (goal.kind() == AllocationGoal.Kind.SIZE_KB) {
            double target = a.gain + gainLeft;
            Double x = solveSparsity(s.unit, a.bits, a.sparsity, s.unit.cap, target);
            int chosenBits = a.bits;
            if (x == null) {
                x = solveSparsity(s.unit, b.bits, 0, b.sparsity, target);
                chosenBits = b.bits;
            }
            if (x != null) {
                set(s.unit, x, chosenBits, sp, bw);
                double drop = 0;
                for (String l : s.unit.layers) {
                    drop += pruneDrop(l, x) + (chosenBits == 32 ? 0 : bitsDrop(l, chosenBits));
                }
                return drop - a.drop;
            }
        }
        set(s.unit, b.sparsity, b.bits, sp, bw);
        return b.drop - a.drop;
    }

    /** The sparsity in [lo, hi] at {@code b} bits whose saved bits reach {@code target}, or null. */
    private Double solveSparsity(Unit u, int b, double lo, double hi, double target) {
        if (saved(u, hi, b) < target || saved(u, lo, b) > target + 8 * 1000) {
            return null;
        }
        for (int i = 0; i < 40; i++) {
            double mid = (lo + hi) / 2;
            if (saved(u, mid, b) >= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private double saved(Unit u, double s, int b) {
        double g = 0;
        for (String l : u.layers) {
            g += sizes.bits(l, 0, 32) - sizes.bits(l, s, b);
        }
        return g;
    }

    private static void set(Unit u, double s, int b, Map<String, Double> sp, Map<String, Integer> bw) {
        for (String l : u.layers) {
            sp.put(l, s);
            bw.put(l, b);
        }
    }

    private Plan toPlan(Plan base, Map<String, Double> sp, Map<String, Integer> bw) {
        Plan p = base;
        for (String l : sp.keySet()) {
            double s = Math.min(sp.get(l), 0.999);
            PruneSetting ps = s <= 0 ? PruneSetting.NONE
                    : PruneSetting.sparsity(prune.granularity(), s).withBlockShape(prune.blockShape());
            QuantSetting qs = bw.get(l) == 32 ? QuantSetting.NONE : QuantSetting.bits(bw.get(l));
            p = p.with(l, new LayerSettings(ps, qs, false, null, p.settingsOf(l).lowRank(), null));
        }
        return p;
    }
}
