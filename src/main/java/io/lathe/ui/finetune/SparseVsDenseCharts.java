package io.lathe.ui.finetune;

import io.lathe.train.FineTuneListener;
import io.lathe.ui.Charts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
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
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;

/**
 * The experiment's charts, large-sparse in blue and small-dense in amber throughout: test top-1 against
 * non-zero weights (before → after fine-tuning, with the open model's unchanged accuracy and the equal
 * non-zero count marked), and validation top-1 per epoch of both fine-tunes.
 */
final class SparseVsDenseCharts {
    static final Color LARGE_COLOUR = Charts.BLUE;
    static final Color SMALL_COLOUR = Charts.AMBER;

    private SparseVsDenseCharts() {
    }

    /** A chart with the two models' series. */
    static final class Pair {
        private final XYSeries large;
        private final XYSeries small;
        private final XYPlot plot;
        private final ChartViewer viewer;

        Pair(String title, String x, String y, String id) {
            large = new XYSeries(SparseVsDenseModel.LARGE, false, true);
            small = new XYSeries(SparseVsDenseModel.SMALL, false, true);
            XYSeriesCollection data = new XYSeriesCollection();
            data.addSeries(large);
            data.addSeries(small);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
            r.setSeriesPaint(0, LARGE_COLOUR);
            r.setSeriesPaint(1, SMALL_COLOUR);
            r.setSeriesStroke(0, new BasicStroke(1.8f));
            r.setSeriesStroke(1, new BasicStroke(1.8f));
            NumberAxis xa = new NumberAxis(x);
            xa.setAutoRangeIncludesZero(false);
            NumberAxis ya = new NumberAxis(y);
            ya.setAutoRangeIncludesZero(false);
            plot = new XYPlot(data, xa, ya, r);
            Charts.style(plot);
            JFreeChart chart = new JFreeChart(title, Charts.LABEL, plot, true);
            Charts.style(chart);
            viewer = new ChartViewer(chart);
            viewer.setId(id);
            viewer.setPrefSize(420, 220);
        }

        ChartViewer node() {
            return viewer;
        }

        XYPlot plot() {
            return plot;
        }

        void set(boolean largeModel, List<double[]> points) {
            XYSeries s = largeModel ? large : small;
            s.clear();
            for (double[] p : points) {
                s.add(p[0], p[1], false);
            }
            s.fireSeriesChanged();
        }
    }

    /** Test top-1 (%) against non-zero weights, before → after, for both models. */
    static Pair accuracyVsNonZeros() {
        Pair p = new Pair("Test top-1 vs non-zero weights", "non-zero weights in prunable layers (fewer = smaller)",
                "test top-1 (%), higher is better", "svd-accuracy-chart");
        NumberAxis x = (NumberAxis) p.plot().getDomainAxis();
        x.setNumberFormatOverride(new DecimalFormat("#,##0"));
        x.setLowerMargin(0.25);
        x.setUpperMargin(0.1);
        p.plot().getRangeAxis().setUpperMargin(0.12);
        return p;
    }

    /** Validation top-1 (%) per epoch of both fine-tunes. */
    static Pair validationPerEpoch() {
        Pair p = new Pair("Validation top-1 per fine-tuning epoch", "epoch", "validation top-1 (%), higher is better",
                "svd-epoch-chart");
        ((NumberAxis) p.plot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return p;
    }

    /** Replaces the point labels ("before 91.20%") of the accuracy chart. */
    static void label(XYPlot plot, List<SparseVsDenseModel.Measured> points) {
        plot.clearAnnotations();
        for (SparseVsDenseModel.Measured m : points) {
            var a = new XYTextAnnotation(String.format(Locale.ROOT, "%s %.2f%%", m.after() ? "after" : "before",
                    100 * m.point().testTop1()), m.point().nonZeroWeights(), 100 * m.point().testTop1());
            a.setFont(Charts.SMALL);
            a.setPaint(SparseVsDenseModel.LARGE.equals(m.role()) ? LARGE_COLOUR.darker() : SMALL_COLOUR.darker());
            a.setTextAnchor(m.after() ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT);
            a.setText((m.after() ? "  " : "") + a.getText() + (m.after() ? "" : "  "));
            plot.addAnnotation(a);
        }
    }

    /** Dashed marker lines: horizontal at {@code y} (range) or vertical at {@code x} (domain); NaN clears. */
    static void markers(XYPlot plot, double y, String yLabel, double x, String xLabel) {
        plot.clearRangeMarkers();
        plot.clearDomainMarkers();
        if (!Double.isNaN(y)) {
            plot.addRangeMarker(marker(y, yLabel, RectangleAnchor.TOP, TextAnchor.BOTTOM_CENTER), Layer.FOREGROUND);
        }
        if (!Double.isNaN(x)) {
            plot.addDomainMarker(marker(x, xLabel, RectangleAnchor.BOTTOM_RIGHT, TextAnchor.BOTTOM_LEFT), Layer.FOREGROUND);
        }
    }

    private static ValueMarker marker(double v, String label, RectangleAnchor anchor, TextAnchor text) {
        ValueMarker m = new ValueMarker(v, Charts.GREY, new BasicStroke(1.2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0));
        m.setLabel(label);
        m.setLabelFont(Charts.SMALL);
        m.setLabelPaint(Charts.GREY.darker());
        m.setLabelAnchor(anchor);
        m.setLabelTextAnchor(text);
        return m;
    }

    /** (epoch, validation %) points of a run. */
    static List<double[]> epochs(List<FineTuneListener.EpochRecord> records) {
        return records.stream().map(r -> new double[]{r.epoch(), 100 * r.validationTop1()}).toList();
    }
}
