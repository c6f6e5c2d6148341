package io.lathe.ui;

import io.lathe.eval.PreviewUpdate;
import javafx.collections.ListChangeListener;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.entity.XYItemEntity;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Explored configurations: exact validation accuracy against compression ratio, one point per
 * finished preview, the Pareto front drawn, the current plan highlighted, and the baseline line.
 */
final class ExploredChart {
    private final XYSeries points = new XYSeries("explored", false, true);
    private final XYSeries front = new XYSeries("Pareto front", true, true);
    private final XYSeries current = new XYSeries("current plan", false, true);
    private final ValueMarker baseline = new ValueMarker(0);
    private final XYPlot plot;
    private final ChartViewer viewer;
    private final WorkbenchModel model;
    private JFreeChart chart;
    private boolean shown = true;
    private boolean stale;

    ExploredChart(WorkbenchModel model) {
        this.model = model;
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(points);
        data.addSeries(front);
        data.addSeries(current);
        NumberAxis x = new NumberAxis("compression ratio (fp32 size ÷ size, higher is smaller)");
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("validation top-1 (%, higher is better)");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        r.setSeriesPaint(0, Charts.GREY);
        r.setSeriesLinesVisible(1, true);
        r.setSeriesShapesVisible(1, false);
        r.setSeriesPaint(1, Charts.BLUE);
        r.setSeriesStroke(1, new BasicStroke(2f));
        r.setSeriesLinesVisible(2, false);
        r.setSeriesShape(2, new Ellipse2D.Double(-6, -6, 12, 12));
        r.setSeriesPaint(2, Charts.RED);
        plot = new XYPlot(data, x, y, r);
        baseline.setPaint(Charts.GREEN);
        baseline.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0));
        baseline.setLabelFont(Charts.SMALL);
        baseline.setLabelPaint(Charts.GREEN);
        baseline.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        baseline.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addRangeMarker(baseline);
        Charts.style(plot);
        chart = new JFreeChart(null, Charts.SMALL, plot, true);
        Charts.style(chart);
        viewer = new ChartViewer(chart);
        viewer.setId("explored-chart");
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX e) {
                if (e.getEntity() instanceof XYItemEntity item && item.getSeriesIndex() < 2) {
                    model.restoreExplored(nearest(item.getDataset().getXValue(item.getSeriesIndex(), item.getItem()),
                            item.getDataset().getYValue(item.getSeriesIndex(), item.getItem())));
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX e) {
            }
        });
        r.setDefaultToolTipGenerator((d, series, i) -> series == 2 ? "current plan" : String.format(
                java.util.Locale.ROOT, "%.2f%% at %.2fx — click to go back to this plan", d.getYValue(series, i),
                d.getXValue(series, i)));
        model.preview().explored().addListener((ListChangeListener<ExploredPoint>) c -> update());
        model.preview().latestProperty().addListener((o, a, u) -> update());
        model.baselineProperty().addListener((o, a, b) -> update());
    }

    /** The explored point at (ratio, top-1 %), or null. */
    private ExploredPoint nearest(double ratio, double top1Percent) {
        ExploredPoint best = null;
        double bestDist = Double.MAX_VALUE;
        for (ExploredPoint p : model.preview().explored()) {
            double d = Math.abs(p.compressionRatio() - ratio) + Math.abs(100 * p.top1() - top1Percent);
            if (d < bestDist) {
                bestDist = d;
                best = p;
            }
        }
        return bestDist < 1e-6 ? best : null;
    }

    ChartViewer node() {
        return viewer;
    }

    /**
     * Says whether the chart's tab is on screen. While it is not, new points only mark it stale (every
     * preview adds one, and a redraw recomputes the front over all of them); shown again, it catches up.
     * FX thread.
     */
    void setShown(boolean on) {
        shown = on;
        if (on && stale) {
            update();
        }
    }

    private void update() {
        if (!shown) {
            stale = true;
            return;
        }
        stale = false;
        chart.setNotify(false);
        try {
            fill();
        } finally {
            chart.setNotify(true);
        }
    }

    /** Refills the series with the chart's notifications off (each change would redraw it). */
    private void fill() {
        List<ExploredPoint> all = new ArrayList<>(model.preview().explored());
        points.clear();
        front.clear();
        current.clear();
        for (ExploredPoint p : all) {
            points.add(p.compressionRatio(), 100 * p.top1(), false);
        }
        points.fireSeriesChanged();
        all.stream().filter(p -> all.stream().noneMatch(p::dominatedBy))
                .sorted(Comparator.comparingDouble(ExploredPoint::compressionRatio))
                .forEach(p -> front.addOrUpdate(p.compressionRatio(), 100 * p.top1()));
        PreviewUpdate u = model.preview().latest();
        if (u != null && u.exact()) {
            current.add(u.stats().compressionRatio(), 100 * u.top1());
        }
        PreviewUpdate b = model.baselineProperty().get();
        if (b != null) {
            baseline.setValue(100 * b.top1());
            baseline.setLabel("baseline " + Formats.percent(b.top1(), 2));
        }
    }
}
