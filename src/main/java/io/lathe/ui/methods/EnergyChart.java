package io.lathe.ui.methods;

import io.lathe.structure.LowRank;
import io.lathe.ui.Charts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;

/**
 * A layer's singular-value energy curve: the share of energy kept (%, fixed 0–100 axis) against the
 * rank as a step line (ranks are discrete), the chosen rank as a red marker and the break-even rank
 * (beyond it the two factors hold more weights than the layer) as a grey one.
 */
final class EnergyChart {
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYPlot plot;
    private final NumberAxis x = new NumberAxis("rank");
    private final ValueMarker rank = new ValueMarker(1);
    private final ValueMarker breakEven = new ValueMarker(1);
    private final ChartViewer viewer;

    EnergyChart() {
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("energy kept (%)");
        y.setRange(0, 100);
        XYStepRenderer renderer = new XYStepRenderer();
        renderer.setSeriesPaint(0, Charts.BLUE);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        plot = new XYPlot(data, x, y, renderer);
        rank.setPaint(Charts.RED);
        rank.setStroke(new BasicStroke(2f));
        rank.setLabelFont(Charts.SMALL);
        rank.setLabelPaint(Charts.RED);
        rank.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        rank.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        breakEven.setPaint(Charts.GREY);
        breakEven.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[]{4f, 3f}, 0f));
        breakEven.setLabel("break-even");
        breakEven.setLabelFont(Charts.SMALL);
        breakEven.setLabelPaint(Charts.GREY);
        breakEven.setLabelAnchor(RectangleAnchor.LEFT);
        breakEven.setLabelTextAnchor(TextAnchor.CENTER_RIGHT);
        Charts.style(plot);
        JFreeChart chart = new JFreeChart(null, Charts.SMALL, plot, false);
        Charts.style(chart);
        viewer = new ChartViewer(chart);
        viewer.setId("energy-chart");
        viewer.setPrefSize(320, 150);
        viewer.setMinHeight(120);
    }

    ChartViewer node() {
        return viewer;
    }

    /** Draws a spectrum (null clears the chart). */
    void setSpectrum(LowRank.Spectrum s) {
        data.removeAllSeries();
        plot.clearDomainMarkers();
        if (s == null) {
            return;
        }
        XYSeries series = new XYSeries("energy");
        series.add(0, 0);
        double[] e = s.energy();
        for (int r = 1; r <= e.length; r++) {
            series.add(r, 100 * e[r - 1]);
        }
        data.addSeries(series);
        x.setRange(0, Math.max(2, e.length));
        if (s.breakEvenRank() >= 1 && s.breakEvenRank() < s.fullRank()) {
            breakEven.setValue(s.breakEvenRank());
            plot.addDomainMarker(breakEven);
        }
        plot.addDomainMarker(rank);
    }

    /** Moves the rank marker. */
    void setRank(int r, double energy) {
        rank.setValue(r);
        rank.setLabel("r=" + r + " · " + String.format(java.util.Locale.ROOT, "%.1f%%", 100 * energy));
    }
}
