package io.lathe.ui.sensitivity;

import io.lathe.ui.Charts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.function.Function;

/**
 * Per-layer accuracy curves against one compression axis (sparsity or bits): every swept layer in
 * light grey, the selected layer in blue and thicker, its current setting as a ringed point, the
 * baseline and the accuracy-target line across all curves.
 */
final class CurveChart {
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    private final XYPlot plot;
    private final ChartViewer viewer;
    private final JFreeChart chart;
    private final double xScale;

    /**
     * @param xLabel   domain axis label with unit
     * @param xScale   factor from the model's level to the axis (100 for sparsity in %, 1 for bits)
     * @param inverted true to draw the axis high-to-low (bits: fewer bits, more compression, to the right)
     */
    CurveChart(String title, String xLabel, double xScale, boolean inverted, String id) {
        this.xScale = xScale;
        NumberAxis x = new NumberAxis(xLabel);
        x.setInverted(inverted);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("validation top-1 (%)");
        y.setAutoRangeIncludesZero(false);
        plot = new XYPlot(data, x, y, renderer);
        Charts.style(plot);
        chart = new JFreeChart(title, Charts.LABEL, plot, false);
        Charts.style(chart);
        viewer = new ChartViewer(chart);
        viewer.setId(id);
        viewer.setPrefSize(380, 250);
    }

    ChartViewer node() {
        return viewer;
    }

    /**
     * Redraws the curves.
     *
     * @param layers   layers in draw order
     * @param points   a layer's (level, accuracy fraction) points
     * @param selected the highlighted layer, or null
     * @param current  the selected layer's current level (NaN: none)
     * @param baseline unchanged accuracy (fraction), target the accuracy-target line (fraction)
     */
    void update(List<String> layers, Function<String, List<double[]>> points, String selected, double current,
                double baseline, double target) {
        chart.setNotify(false);
        try {
            fill(layers, points, selected, current, baseline, target);
        } finally {
            chart.setNotify(true);
        }
    }

    /** Rebuilds series and markers with the chart's notifications off (each change would redraw it). */
    private void fill(List<String> layers, Function<String, List<double[]>> points, String selected, double current,
                      double baseline, double target) {
        data.removeAllSeries();
        plot.clearRangeMarkers();
        int sel = -1;
        for (String l : layers) {
            if (l.equals(selected)) {
                continue;
            }
            add(l, points.apply(l));
        }
        if (selected != null && layers.contains(selected)) {
            sel = data.getSeriesCount();
            add(selected, points.apply(selected));
        }
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean s = i == sel;
            renderer.setSeriesPaint(i, s ? Charts.BLUE : new Color(0xC4, 0xCB, 0xD4));
            renderer.setSeriesStroke(i, new BasicStroke(s ? 2.6f : 1f));
            renderer.setSeriesShape(i, s ? new Ellipse2D.Double(-3.5, -3.5, 7, 7) : new Ellipse2D.Double(-1.5, -1.5, 3, 3));
            renderer.setSeriesLinesVisible(i, true);
            renderer.setSeriesShapesFilled(i, true);
        }
        if (!Double.isNaN(baseline)) {
            marker(100 * baseline, Charts.GREY, true, "baseline " + String.format(java.util.Locale.ROOT, "%.2f%%", 100 * baseline));
        }
        if (!Double.isNaN(target)) {
            marker(100 * target, Charts.RED, false, "target " + String.format(java.util.Locale.ROOT, "%.2f%%", 100 * target));
        }
        if (sel >= 0 && !Double.isNaN(current)) {
            double acc = interpolate(points.apply(selected), current);
            if (!Double.isNaN(acc)) {
                double x = current * xScale;
                double y = 100 * acc;
                XYSeries cur = new XYSeries("current setting");
                cur.add(x, y);
                data.addSeries(cur);
                int ci = data.getSeriesCount() - 1;
                renderer.setSeriesLinesVisible(ci, false);
                renderer.setSeriesShapesFilled(ci, false);
                renderer.setSeriesPaint(ci, Charts.AMBER);
                renderer.setSeriesStroke(ci, new BasicStroke(2.5f));
                renderer.setSeriesShape(ci, new Ellipse2D.Double(-7, -7, 14, 14));
                ValueMarker m = new ValueMarker(x, Charts.AMBER, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10, new float[]{4, 3}, 0));
                m.setLabel("current " + (xScale == 1 ? (int) current + " bits" : Math.round(x) + "%"));
                m.setLabelFont(Charts.SMALL);
                m.setLabelPaint(Charts.AMBER.darker());
                m.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
                m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
                plot.clearDomainMarkers();
                plot.addDomainMarker(m, Layer.FOREGROUND);
                return;
            }
        }
        plot.clearDomainMarkers();
    }

    private void add(String layer, List<double[]> pts) {
        XYSeries s = new XYSeries(layer, false, true);
        for (double[] p : pts) {
            s.add(p[0] * xScale, 100 * p[1]);
        }
        data.addSeries(s);
    }

    private void marker(double y, Color c, boolean above, String label) {
        ValueMarker m = new ValueMarker(y, c, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                new float[]{6, 4}, 0));
        m.setLabel(label);
        m.setLabelFont(Charts.SMALL);
        m.setLabelPaint(c.darker());
        m.setLabelAnchor(above ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.BOTTOM_LEFT);
        m.setLabelTextAnchor(above ? TextAnchor.BOTTOM_RIGHT : TextAnchor.TOP_LEFT);
        plot.addRangeMarker(m, Layer.FOREGROUND);
    }

    /** Accuracy at a level on measured points (linear between them), NaN outside the measured range. */
    static double interpolate(List<double[]> pts, double level) {
        for (int i = 0; i < pts.size(); i++) {
            double[] p = pts.get(i);
            if (p[0] == level) {
                return p[1];
            }
            if (i > 0 && pts.get(i - 1)[0] < level && level < p[0]) {
                double[] q = pts.get(i - 1);
                return q[1] + (level - q[0]) / (p[0] - q[0]) * (p[1] - q[1]);
            }
        }
        return Double.NaN;
    }
}
