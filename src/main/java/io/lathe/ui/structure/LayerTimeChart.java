package io.lathe.ui.structure;

import io.lathe.session.StructureService;
import io.lathe.ui.Charts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.util.Locale;

/**
 * Per-layer time of the weight layers at batch 64, unchanged (grey) beside channels removed (blue),
 * one pair of bars per layer in execution order; tooltips give the channel counts and the speed-up.
 */
final class LayerTimeChart {
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final ChartViewer viewer;
    private final JFreeChart chart;

    LayerTimeChart() {
        CategoryAxis x = new CategoryAxis(null);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        x.setMaximumCategoryLabelLines(1);
        NumberAxis y = new NumberAxis("ms per call (lower is better)");
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        r.setSeriesPaint(0, Charts.GREY);
        r.setSeriesPaint(1, Charts.BLUE);
        r.setDefaultToolTipGenerator((dataset, row, column) -> String.format(Locale.ROOT, "%s — %s: %.3f ms",
                dataset.getColumnKey(column), dataset.getRowKey(row), dataset.getValue(row, column).doubleValue()));
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        Charts.style(plot);
        chart = new JFreeChart("Per-layer time (measured, each layer alone on cached inputs)", Charts.LABEL, plot, true);
        Charts.style(chart);
        viewer = new ChartViewer(chart);
        viewer.setId("structure-layer-chart");
        viewer.setPrefSize(760, 320);
        viewer.setMinHeight(280);
    }

    ChartViewer node() {
        return viewer;
    }

    /** "stage2.block0.conv1" as "s2.b0.conv1", so the rotated axis labels stay short. */
    static String shortName(String layer) {
        return layer.replaceAll("stage(\\d+)\\.block(\\d+)\\.", "s$1.b$2.").replace("shortcut.", "sc.");
    }

    void show(StructureService.Report r) {
        data.clear();
        viewer.setVisible(r != null);
        viewer.setManaged(r != null);
        if (r == null) {
            return;
        }
        for (StructureService.LayerTiming t : r.layers()) {
            String key = shortName(t.name()) + " " + t.outBefore()
                    + (t.outAfter() == t.outBefore() ? "" : "→" + t.outAfter());
            data.addValue(t.beforeMs(), "unchanged", key);
            data.addValue(t.afterMs(), "channels removed", key);
        }
        chart.setTitle(String.format(Locale.ROOT, "Per-layer time, batch 64, measured: sum %.1f → %.1f ms",
                r.layerSumBeforeMs(), r.layerSumAfterMs()));
        chart.getTitle().setFont(Charts.LABEL);
    }
}
