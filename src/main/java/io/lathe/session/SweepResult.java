package io.lathe.session;

import io.lathe.sensitivity.SensitivityCurves;

import java.util.Map;

/**
 * What a {@link SweepRequest} measured.
 *
 * @param curves  the curves (baseline, one per layer, levels asked for)
 * @param seconds wall time of the sweep
 * @param store   the folder the points are stored in
 * @param spark   what ran on Spark (master, parallelism, tasks, per-task seconds), or null
 */
public record SweepResult(SensitivityCurves curves, double seconds, String store, Map<String, Object> spark) {
}
