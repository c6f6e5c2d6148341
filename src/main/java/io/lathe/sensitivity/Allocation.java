package io.lathe.sensitivity;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;

import java.util.Map;

/**
 * A per-layer allocation computed from sensitivity curves.
 *
 * @param goal          what was asked
 * @param plan          the plan: pinned layers as in the base plan, allocated layers with explicit settings
 * @param sparsity      allocated sparsity per allocated layer
 * @param bits          allocated bit width per allocated layer (32 when not quantized)
 * @param estimatedDrop the drop the curves predict, in points, assuming per-layer drops add up (an
 *                      estimate: real drops of several compressed layers are usually larger)
 * @param stats         size and sparsity of the plan, computed exactly
 */
public record Allocation(AllocationGoal goal, Plan plan, Map<String, Double> sparsity, Map<String, Integer> bits,
                         double estimatedDrop, ModelStats stats) {
    public Allocation {
        sparsity = Map.copyOf(sparsity);
        bits = Map.copyOf(bits);
    }
}
