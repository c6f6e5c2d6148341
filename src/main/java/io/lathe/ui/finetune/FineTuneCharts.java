package io.lathe.ui.finetune;

import io.lathe.train.FineTuneListener;
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
import java.util.List;
import java.util.Locale;

/** The Fine-tune tab's charts: schedule curve, training loss per step, validation top-1 per epoch. */
final class FineTuneCharts {
    private FineTuneCharts() {
    }

    /** A line chart with one series. */
    static final class Line {
        private final XYSeries series;
        private final XYPlot plot;
        private final ChartViewer viewer;

        Line(String title, String x, String y, Color colour, boolean shapes, String id) {
            series = new XYSeries(title, false, true);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
            r.setSeriesPaint(0, colour);
            r.setSeriesStroke(0, new BasicStroke(1.6f));
            NumberAxis xa = new NumberAxis(x);
            NumberAxis ya = new NumberAxis(y);
            ya.setAutoRangeIncludesZero(false);
            plot = new XYPlot(new XYSeriesCollection(series), xa, ya, r);
            Charts.style(plot);
            JFreeChart chart = new JFreeChart(title, Charts.LABEL, plot, false);
            Charts.style(chart);
            viewer = new ChartViewer(chart);
            viewer.setId(id);
            viewer.setPrefSize(360, 200);
        }

        ChartViewer node() {
            return viewer;
        }

        void set(List<double[]> points) {
            series.clear();
            for (double[] p : points) {
                series.add(p[0], p[1], false);
            }
            series.fireSeriesChanged();
        }

        void addAll(List<? extends double[]> points) {
            for (double[] p : points) {
                series.add(p[0], p[1], false);
            }
            series.fireSeriesChanged();
        }

        void clear() {
            series.clear();
        }

        /** A dashed horizontal line with a label (replaces the previous one). */
        void marker(double y, String label, Color c) {
            plot.clearRangeMarkers();
            if (Double.isNaN(y)) {
                return;
            }
            ValueMarker m = new ValueMarker(y, c, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[]{6, 4}, 0));
            m.setLabel(label);
            m.setLabelFont(Charts.SMALL);
            m.setLabelPaint(c.darker());
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(m, Layer.FOREGROUND);
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }

        /** Keeps the range axis showing {@code y} (a baseline must never fall off the chart). */
        void include(double y) {
            if (!Double.isNaN(y)) {
                plot.getRangeAxis().setAutoRange(true);
                var r = plot.getRangeAxis().getRange();
                if (y < r.getLowerBound() || y > r.getUpperBound()) {
                    plot.getRangeAxis().setRange(Math.min(y, r.getLowerBound()) - 0.5, Math.max(y, r.getUpperBound()) + 0.5);
                }
            }
        }
    }

    static String epochLabel(FineTuneListener.EpochRecord r) {
        return String.format(Locale.ROOT, "epoch %d: %.2f%%", r.epoch(), 100 * r.validationTop1());
    }
}
