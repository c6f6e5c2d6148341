package io.lathe.ui;

import io.lathe.session.WeightTable;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;

/**
 * The selected layer's importance histogram ({@code |w|} for elements) with the threshold drawn on it:
 * bars below the threshold (removed) in grey, kept ones in blue; linear or log count axis.
 */
final class HistogramChart {
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYPlot plot;
    private final XYBarRenderer renderer = new XYBarRenderer(0.08);
    private final ValueMarker marker = new ValueMarker(0);
    private final ChartViewer viewer;
    private WeightTable.Histogram histogram;
    private boolean log;
    private double threshold;

    HistogramChart() {
        NumberAxis x = new NumberAxis("importance |w|");
        x.setAutoRangeIncludesZero(true);
        plot = new XYPlot(data, x, countAxis(false), renderer);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0xB8, 0xBE, 0xC7));
        renderer.setSeriesPaint(1, Charts.BLUE);
        marker.setPaint(Charts.RED);
        marker.setStroke(new BasicStroke(2f));
        marker.setLabelFont(Charts.SMALL);
        marker.setLabelPaint(Charts.RED);
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(marker);
        Charts.style(plot);
        JFreeChart chart = new JFreeChart(null, Charts.SMALL, plot, false);
        Charts.style(chart);
        viewer = new ChartViewer(chart);
        viewer.setPrefSize(320, 125);
        viewer.setMinHeight(110);
    }

    ChartViewer node() {
        return viewer;
    }

    void setHistogram(WeightTable.Histogram h) {
        histogram = h;
        redraw();
    }

    void setLog(boolean on) {
        log = on;
        plot.setRangeAxis(countAxis(on));
        Charts.style(plot);
        redraw();
    }

    void setThreshold(double t, String label) {
        if (t != threshold) {
            threshold = t;
            redraw();
        }
        marker.setValue(t);
        marker.setLabel(label);
    }

    private ValueAxis countAxis(boolean logScale) {
        if (logScale) {
            LogAxis a = new LogAxis("count (log)");
            a.setSmallestValue(0.8);
            a.setBase(10);
            a.setMinorTickMarksVisible(false);
            renderer.setBase(0.8);
            return a;
        }
        renderer.setBase(0);
        NumberAxis a = new NumberAxis("count");
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return a;
    }

    private void redraw() {
        data.removeAllSeries();
        if (histogram == null) {
            return;
        }
        XYSeries removed = new XYSeries("removed");
        XYSeries kept = new XYSeries("kept");
        double w = histogram.binWidth();
        long[] counts = histogram.counts();
        for (int i = 0; i < counts.length; i++) {
            if (log && counts[i] == 0) {
                continue;
            }
            double centre = histogram.min() + (i + 0.5) * w;
            (centre < threshold ? removed : kept).add(centre, counts[i]);
        }
        data.addSeries(removed);
        data.addSeries(kept);
        data.setIntervalWidth(w);
        plot.getDomainAxis().setRange(histogram.min(), Math.max(histogram.max(), histogram.min() + 1e-9));
    }
}
