package io.lathe.ui;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;

import java.awt.Color;
import java.awt.Font;

/** The shared look of the workbench's charts: colours, fonts, light grid, no chart borders. */
public final class Charts {
    public static final Color BLUE = new Color(0x2F, 0x6F, 0xDE);
    public static final Color RED = new Color(0xD6, 0x45, 0x45);
    public static final Color GREEN = new Color(0x2E, 0x9E, 0x6B);
    public static final Color AMBER = new Color(0xE0, 0x9B, 0x1A);
    public static final Color GREY = new Color(0x8A, 0x93, 0xA0);
    public static final Color GRID = new Color(0xE3, 0xE7, 0xEC);
    public static final Font SMALL = new Font("SansSerif", Font.PLAIN, 11);
    public static final Font LABEL = new Font("SansSerif", Font.PLAIN, 12);

    private Charts() {
    }

    /** Colour of a bit width: blue for 32 (unchanged) through violet, amber and red for fewer bits. */
    public static Color bitsColour(int bits) {
        return switch (bits) {
            case 32 -> new Color(0x9A, 0xB6, 0xE8);
            case 16 -> new Color(0x2F, 0x6F, 0xDE);
            case 8 -> new Color(0x6A, 0x4C, 0xC9);
            case 6 -> new Color(0x2E, 0x9E, 0x6B);
            case 4 -> new Color(0xE0, 0x9B, 0x1A);
            case 3 -> new Color(0xE0, 0x6B, 0x1A);
            default -> new Color(0xC8, 0x3A, 0x3A);
        };
    }

    public static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setBorderVisible(false);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(SMALL);
            chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
            chart.getLegend().setBackgroundPaint(Color.WHITE);
        }
    }

    public static void style(Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            xy.setDomainGridlinesVisible(false);
            axes(xy.getDomainAxis());
            axes(xy.getRangeAxis());
        } else if (plot instanceof CategoryPlot c) {
            c.setRangeGridlinePaint(GRID);
            axes(c.getDomainAxis());
            axes(c.getRangeAxis());
        }
    }

    private static void axes(org.jfree.chart.axis.Axis a) {
        if (a == null) {
            return;
        }
        a.setLabelFont(LABEL);
        a.setTickLabelFont(SMALL);
        a.setLabelPaint(new Color(0x44, 0x4B, 0x55));
        a.setTickLabelPaint(new Color(0x55, 0x5D, 0x68));
        a.setAxisLinePaint(GRID);
        a.setTickMarkPaint(GRID);
    }
}
