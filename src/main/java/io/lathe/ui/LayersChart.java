package io.lathe.ui;

import io.lathe.compress.Plan;
import io.lathe.model.LayerInfo;
import io.lathe.session.Workspace;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Paint;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/** Per-layer bars: the fraction of weights removed, coloured by bit width, in execution order. */
final class LayersChart {
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final List<Integer> bitsByColumn = new ArrayList<>();
    private final ChartViewer viewer;
    private final CategoryPlot plot;

    LayersChart(WorkbenchModel model) {
        CategoryAxis x = new CategoryAxis("layer (execution order)");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        x.setMaximumCategoryLabelWidthRatio(2f);
        NumberAxis y = new NumberAxis("weights removed (%)");
        y.setRange(0, 100);
        BarRenderer r = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return column < bitsByColumn.size() ? Charts.bitsColour(bitsByColumn.get(column)) : Charts.GREY;
            }
        };
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0);
        r.setMaximumBarWidth(0.05);
        r.setDrawBarOutline(false);
        plot = new CategoryPlot(data, x, y, r);
        Charts.style(plot);
        LegendItemCollection legend = new LegendItemCollection();
        for (int b : new int[]{32, 16, 8, 6, 4, 3, 2}) {
            legend.add(new LegendItem(b == 32 ? "32 bits (unchanged)" : b + " bits", null, null, null,
                    new Rectangle(-5, -5, 10, 10), Charts.bitsColour(b)));
        }
        plot.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart(null, Charts.SMALL, plot, false);
        LegendTitle lt = new LegendTitle(plot);
        lt.setPosition(RectangleEdge.TOP);
        chart.addLegend(lt);
        Charts.style(chart);
        viewer = new ChartViewer(chart);
        viewer.setId("layers-chart");
        PulseCoalescer redraw = new PulseCoalescer(() -> update(model.workspace(), model.editor().plan()));
        model.editor().planProperty().addListener((o, a, p) -> redraw.request());
        model.workspaceProperty().addListener((o, a, ws) -> update(ws, model.editor().plan()));
    }

    ChartViewer node() {
        return viewer;
    }

    /** Refills the bars; the chart is told once at the end, not once a layer (each telling redraws it). */
    private void update(Workspace ws, Plan p) {
        data.setNotify(false);
        try {
            data.clear();
            bitsByColumn.clear();
            if (ws == null || p == null) {
                return;
            }
            for (LayerInfo l : ws.tree().prunableLayers()) {
                bitsByColumn.add(p.quantOf(l.name()).bits());
                data.addValue(100 * ws.weights().sparsityOf(l.name(), p.pruneOf(l.name())), "removed", l.name());
            }
        } finally {
            data.setNotify(true);
        }
    }
}
