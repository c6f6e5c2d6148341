package io.lathe.data;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes one image file into the model's input shape as pixels 0-255 (CHW, RGB or grey). An image of
 * the input size is copied as it is; a larger photo with a preprocessing that states {@code resize}
 * has its shorter side resized to that and a centre {@code crop} taken, then is resized to the input;
 * any other image is resized straight to the input (bilinear). Thread-safe. Turns ImageIO's disk cache
 * off (decoding from memory needs none, and its temporary files cost more than the decode).
 */
final class ImageDecoder {
    private final int channels;
    private final int height;
    private final int width;
    private final int resize;
    private final int crop;

    ImageDecoder(int channels, int height, int width, int resize, int crop) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image folders give 1 (grey) or 3 (RGB) channels, not " + channels);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.resize = resize;
        this.crop = crop;
        ImageIO.setUseCache(false);
    }

    int channels() {
        return channels;
    }

    int height() {
        return height;
    }

    int width() {
        return width;
    }

    int imageSize() {
        return channels * height * width;
    }

    /** Reads and converts {@code file} into {@code dst} at {@code offset}. */
    void decode(Path file, byte[] dst, int offset) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(file)));
        if (img == null) {
            throw new DataFormatException(file, "not a readable image (PNG, JPEG, BMP or GIF expected)");
        }
        convert(img, dst, offset);
    }

    /** Converts a decoded image into {@code dst} at {@code offset}. */
    void convert(BufferedImage src, byte[] dst, int offset) {
        BufferedImage img = fit(src);
        int plane = height * width;
        if (channels == 3 && img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && img.getRaster().getDataBuffer() instanceof DataBufferByte db && img.getRaster().getParent() == null
                && db.getData().length == 3 * plane) {
            byte[] bgr = db.getData();
            for (int i = 0; i < plane; i++) {
                dst[offset + i] = bgr[3 * i + 2];
                dst[offset + plane + i] = bgr[3 * i + 1];
                dst[offset + 2 * plane + i] = bgr[3 * i];
            }
            return;
        }
        int[] rgb = img.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            if (channels == 1) {
                dst[offset + i] = (byte) Math.min(255, Math.round(0.299f * r + 0.587f * g + 0.114f * b));
            } else {
                dst[offset + i] = (byte) r;
                dst[offset + plane + i] = (byte) g;
                dst[offset + 2 * plane + i] = (byte) b;
            }
        }
    }

    private BufferedImage fit(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        if (w == width && h == height) {
            return src;
        }
        boolean larger = w > width && h > height;
        if (larger && resize > 0) {
            double f = (double) resize / Math.min(w, h);
            int rw = Math.max(1, (int) Math.round(w * f));
            int rh = Math.max(1, (int) Math.round(h * f));
            BufferedImage resized = scale(src, 0, 0, w, h, rw, rh);
            int cw = crop > 0 ? Math.min(crop, rw) : rw;
            int ch = crop > 0 ? Math.min(crop, rh) : rh;
            int x0 = (rw - cw) / 2;
            int y0 = (rh - ch) / 2;
            return scale(resized, x0, y0, cw, ch, width, height);
        }
        return scale(src, 0, 0, w, h, width, height);
    }

    /** The {@code sw×sh} region at {@code (sx, sy)} of {@code src} drawn at {@code dw×dh}, bilinear. */
    private static BufferedImage scale(BufferedImage src, int sx, int sy, int sw, int sh, int dw, int dh) {
        BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, dw, dh, sx, sy, sx + sw, sy + sh, null);
        g.dispose();
        return out;
    }
}
