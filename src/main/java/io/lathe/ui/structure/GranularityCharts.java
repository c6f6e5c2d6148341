package io.lathe.ui.structure;

import io.lathe.compress.Granularity;
import io.lathe.eval.GranularityComparison;
import io.lathe.ui.Charts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The granularity comparison's two charts, same colours per granularity in both: validation top-1
 * against sparsity (each point labelled with its measured speed-up, the unpruned accuracy as a line),
 * and measured batch-64 latency against sparsity (the unchanged model's latency as a line).
 */
final class GranularityCharts {
    private static final Map<Granularity, Color> COLOURS = Map.of(Granularity.ELEMENT, Charts.BLUE,
            Granularity.BLOCK, Charts.AMBER, Granularity.CHANNEL, Charts.GREEN);
    private final Map<Granularity, XYSeries> top1 = new EnumMap<>(Granularity.class);
    private final Map<Granularity, XYSeries> latency = new EnumMap<>(Granularity.class);
    private final Map<Granularity, Map<Double, Double>> speedups = new EnumMap<>(Granularity.class);
    private final XYPlot top1Plot;
    private final XYPlot latencyPlot;
    private final ChartViewer top1Viewer;
    private final ChartViewer latencyViewer;

    GranularityCharts() {
        XYSeriesCollection a = new XYSeriesCollection();
        XYSeriesCollection b = new XYSeriesCollection();
        for (Granularity g : Granularity.values()) {
            top1.put(g, new XYSeries(g.key(), true, true));
            latency.put(g, new XYSeries(g.key(), true, true));
            speedups.put(g, new java.util.TreeMap<>());
            a.addSeries(top1.get(g));
            b.addSeries(latency.get(g));
        }
        top1Plot = plot(a, "validation top-1 (%, higher is better)");
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) top1Plot.getRenderer();
        XYItemLabelGenerator labels = (dataset, series, item) -> {
            Granularity g = Granularity.values()[series];
            Double s = speedups.get(g).get(dataset.getXValue(series, item));
            return s == null ? null : String.format(Locale.ROOT, "%.2f×", s);
        };
        r.setDefaultItemLabelGenerator(labels);
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(Charts.SMALL);
        latencyPlot = plot(b, "batch-64 latency (ms, lower is better)");
        top1Viewer = viewer(top1Plot, "Top-1 vs sparsity · labels: speed-up", "granularity-accuracy-chart");
        latencyViewer = viewer(latencyPlot, "Batch-64 latency vs sparsity", "granularity-latency-chart");
    }

    private static XYPlot plot(XYSeriesCollection data, String yLabel) {
        NumberAxis x = new NumberAxis("sparsity (% removed)");
        x.setAutoRangeIncludesZero(true);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        y.setUpperMargin(0.12);
        y.setLowerMargin(0.08);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (Granularity g : Granularity.values()) {
            r.setSeriesPaint(g.ordinal(), COLOURS.get(g));
            r.setSeriesStroke(g.ordinal(), new BasicStroke(2f));
            r.setSeriesShape(g.ordinal(), new Ellipse2D.Double(-4, -4, 8, 8));
        }
        XYPlot p = new XYPlot(data, x, y, r);
        Charts.style(p);
        return p;
    }

    private static ChartViewer viewer(XYPlot plot, String title, String id) {
        JFreeChart c = new JFreeChart(title, Charts.LABEL, plot, true);
        Charts.style(c);
        ChartViewer v = new ChartViewer(c);
        v.setId(id);
        v.setPrefSize(420, 320);
        v.setMinHeight(260);
        return v;
    }

    ChartViewer accuracy() {
        return top1Viewer;
    }

    ChartViewer latency() {
        return latencyViewer;
    }

    void show(GranularityComparison.Result r) {
        top1Plot.clearRangeMarkers();
        latencyPlot.clearRangeMarkers();
        for (Granularity g : Granularity.values()) {
            top1.get(g).clear();
            latency.get(g).clear();
            speedups.get(g).clear();
        }
        if (r == null) {
            return;
        }
        double denseSum = 0;
        int n = 0;
        for (GranularityComparison.Series s : r.series()) {
            for (GranularityComparison.Point p : s.points()) {
                double x = 100 * p.sparsity();
                speedups.get(s.granularity()).put(x, p.speedup());
                top1.get(s.granularity()).add(x, 100 * p.top1());
                latency.get(s.granularity()).add(x, p.batch64Ms());
                denseSum += p.denseBatch64Ms();
                n++;
            }
        }
        top1Plot.addRangeMarker(marker(100 * r.denseTop1(), String.format(Locale.ROOT, "unpruned %.2f%% (%d images)",
                100 * r.denseTop1(), r.images())));
        if (n > 0) {
            double dense = denseSum / n;
            latencyPlot.addRangeMarker(marker(dense, String.format(Locale.ROOT, "unchanged %.2f ms", dense)));
        }
    }

    private static ValueMarker marker(double v, String label) {
        ValueMarker m = new ValueMarker(v);
        m.setPaint(Charts.GREY);
        m.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0));
        m.setLabel(label);
        m.setLabelFont(Charts.SMALL);
        m.setLabelPaint(Charts.GREY);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        m.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
        m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        return m;
    }
}
