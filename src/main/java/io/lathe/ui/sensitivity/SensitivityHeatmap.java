package io.lathe.ui.sensitivity;

import io.lathe.sensitivity.LayerCurve;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.ui.Formats;

import java.util.ArrayList;
import java.util.List;

/**
 * The sensitivity heatmap's data: accuracy drop, layers × levels, with one column per sparsity level
 * then per bit width.
 *
 * @param layers     row labels, in execution order
 * @param levels     column labels
 * @param dropPoints accuracy drop in points from the baseline per cell (NaN: not measured yet)
 */
public record SensitivityHeatmap(List<String> layers, List<String> levels, double[][] dropPoints) {
    /** The heatmap of the curves measured so far; empty for null. */
    static SensitivityHeatmap of(SensitivityCurves c) {
        if (c == null) {
            return new SensitivityHeatmap(List.of(), List.of(), new double[0][0]);
        }
        List<String> cols = new ArrayList<>();
        for (double s : c.sparsityLevels()) {
            cols.add(Formats.percent(s, 0));
        }
        for (int b : c.bitLevels()) {
            cols.add(b + " bits");
        }
        double[][] drop = new double[c.layers().size()][cols.size()];
        for (int i = 0; i < c.layers().size(); i++) {
            LayerCurve lc = c.layers().get(i);
            int j = 0;
            for (double s : c.sparsityLevels()) {
                Double a = lc.sparsity().get(s);
                drop[i][j++] = a == null ? Double.NaN : 100 * (c.baseline() - a);
            }
            for (int b : c.bitLevels()) {
                Double a = lc.bits().get(b);
                drop[i][j++] = a == null ? Double.NaN : 100 * (c.baseline() - a);
            }
        }
        List<String> rows = c.layers().stream().map(LayerCurve::layer).toList();
        return new SensitivityHeatmap(rows, List.copyOf(cols), drop);
    }
}
