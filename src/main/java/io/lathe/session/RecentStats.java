package io.lathe.session;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The size and work figures of the last few plans asked for. After every edit several views (summary,
 * fine-tune schedule, export estimate) ask for the same plan's figures, and computing them masks every
 * layer. Thread-safe; the figures are computed outside the lock, so a caller never waits for another's.
 */
final class RecentStats {
    private final int capacity;
    private final Map<Plan, ModelStats> byPlan;

    RecentStats(int capacity) {
        this.capacity = capacity;
        this.byPlan = new LinkedHashMap<>(2 * capacity, 0.75f, true);
    }

    /** The remembered figures of {@code plan}, or {@code compute}'s, then remembered. */
    ModelStats get(Plan plan, Function<Plan, ModelStats> compute) {
        synchronized (byPlan) {
            ModelStats known = byPlan.get(plan);
            if (known != null) {
                return known;
            }
        }
        ModelStats s = compute.apply(plan);
        synchronized (byPlan) {
            byPlan.put(plan, s);
            if (byPlan.size() > capacity) {
                byPlan.remove(byPlan.keySet().iterator().next());
            }
        }
        return s;
    }
}
