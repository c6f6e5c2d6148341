package io.lathe.export;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** The report's charts drawn with plain java.awt into PNG bytes (works headless). */
final class ReportCharts {
    private static final Color SPARSITY = new Color(0x3b7dd8);
    private static final Color BITS = new Color(0xe07b39);

    private ReportCharts() {
    }

    /** Per-layer bars: sparsity (%, left axis) and weight bits (right axis, 0-32). */
    static byte[] layers(List<ExportResult.LayerRow> rows) throws IOException {
        int w = Math.max(640, 60 + rows.size() * 34);
        int h = 480;
        int left = 50;
        int right = 50;
        int top = 40;
        int bottom = 210;
        BufferedImage img = canvas(w, h);
        Graphics2D g = img.createGraphics();
        setup(g);
        int plotW = w - left - right;
        int plotH = h - top - bottom;
        axes(g, left, top, plotW, plotH);
        g.setColor(Color.DARK_GRAY);
        g.drawString("Per-layer sparsity (blue, %) and weight bits (orange)", left, 22);
        for (int t = 0; t <= 4; t++) {
            int y = top + plotH - t * plotH / 4;
            g.drawString(t * 25 + "%", 8, y + 4);
            g.drawString(String.valueOf(t * 8), w - right + 8, y + 4);
        }
        double slot = (double) plotW / Math.max(1, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ExportResult.LayerRow r = rows.get(i);
            int x = (int) (left + i * slot);
            int bw = (int) Math.max(2, slot * 0.38);
            int hs = (int) Math.round(r.sparsity() * plotH);
            g.setColor(SPARSITY);
            g.fillRect(x + 2, top + plotH - hs, bw, hs);
            int hb = (int) Math.round(Math.min(32, r.bits()) / 32.0 * plotH);
            g.setColor(BITS);
            g.fillRect(x + 2 + bw, top + plotH - hb, bw, hb);
            g.setColor(Color.DARK_GRAY);
            AffineTransform old = g.getTransform();
            g.rotate(Math.toRadians(60), x + 4, top + plotH + 10);
            g.drawString(r.name(), x + 4, top + plotH + 10);
            g.setTransform(old);
        }
        g.dispose();
        return png(img);
    }

    /** Test top-1 per artifact, before compression first. */
    static byte[] accuracy(double before, List<ExportResult.Artifact> artifacts) throws IOException {
        List<ExportResult.Artifact> runnable = artifacts.stream().filter(a -> !Double.isNaN(a.top1())).toList();
        int w = 640;
        int h = 120 + 34 * (runnable.size() + 1);
        BufferedImage img = canvas(w, h);
        Graphics2D g = img.createGraphics();
        setup(g);
        g.setColor(Color.DARK_GRAY);
        g.drawString("Test top-1 (%) before compression and of each reloaded artifact", 20, 24);
        int left = 250;
        int plotW = w - left - 70;
        draw(g, "uncompressed model", before, 50, left, plotW, new Color(0x7a7a7a));
        for (int i = 0; i < runnable.size(); i++) {
            ExportResult.Artifact a = runnable.get(i);
            draw(g, a.kind(), a.top1(), 50 + 34 * (i + 1), left, plotW, SPARSITY);
        }
        g.dispose();
        return png(img);
    }

    private static void draw(Graphics2D g, String label, double top1, int y, int left, int plotW, Color c) {
        g.setColor(Color.DARK_GRAY);
        g.drawString(label, 20, y + 16);
        g.setColor(c);
        g.fillRect(left, y, (int) Math.round(top1 * plotW), 22);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "%.2f", 100 * top1), left + (int) Math.round(top1 * plotW) + 6, y + 16);
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static void setup(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    private static void axes(Graphics2D g, int left, int top, int w, int h) {
        g.setColor(new Color(0xdddddd));
        for (int t = 0; t <= 4; t++) {
            int y = top + h - t * h / 4;
            g.drawLine(left, y, left + w, y);
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(left, top + h, left + w, top + h);
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bos);
        return bos.toByteArray();
    }
}
