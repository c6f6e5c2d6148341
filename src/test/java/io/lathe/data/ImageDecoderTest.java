package io.lathe.data;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

class ImageDecoderTest {
    private static final int RED = 0xff0000;
    private static final int GREEN = 0x00ff00;
    private static final int BLUE = 0x0000ff;

    /** A 100×50 photo: red left quarter, green middle half, blue right quarter. */
    private static BufferedImage stripes() {
        BufferedImage img = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 100; x++) {
                img.setRGB(x, y, x < 25 ? RED : x < 75 ? GREEN : BLUE);
            }
        }
        return img;
    }

    private static int[] rgbAt(byte[] px, int plane, int i) {
        return new int[]{px[i] & 0xff, px[plane + i] & 0xff, px[2 * plane + i] & 0xff};
    }

    @Test
    void largePhotoIsResizedOnItsShorterSideThenCentreCropped() {
        byte[] px = new byte[3 * 16 * 16];
        new ImageDecoder(3, 16, 16, 32, 32).convert(stripes(), px, 0);
        // 100x50 -> 64x32, centre 32x32 = source columns 25..75: all green, even at the left edge
        assertThat(rgbAt(px, 256, 0)).containsExactly(0, 255, 0);
        assertThat(rgbAt(px, 256, 15)).containsExactly(0, 255, 0);
    }

    @Test
    void withoutResizeThePhotoIsSquashedToTheInput() {
        byte[] px = new byte[3 * 16 * 16];
        new ImageDecoder(3, 16, 16, 0, 0).convert(stripes(), px, 0);
        assertThat(rgbAt(px, 256, 0)).containsExactly(255, 0, 0);
        assertThat(rgbAt(px, 256, 15)).containsExactly(0, 0, 255);
    }

    @Test
    void imageOfTheInputSizeIsCopiedExactly() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x102030);
        img.setRGB(1, 0, 0x405060);
        byte[] px = new byte[6];
        new ImageDecoder(3, 1, 2, 256, 224).convert(img, px, 0);
        assertThat(px).containsExactly(0x10, 0x40, 0x20, 0x50, 0x30, 0x60);
    }

    @Test
    void decodedJpegLayoutGivesTheSamePlanesAsAnyOther() {
        BufferedImage bgr = new BufferedImage(3, 2, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 6; i++) {
            int v = 0x010203 * (i + 1) + 0x400000;
            bgr.setRGB(i % 3, i / 3, v);
            rgb.setRGB(i % 3, i / 3, v);
        }
        byte[] a = new byte[18];
        byte[] b = new byte[18];
        new ImageDecoder(3, 2, 3, 0, 0).convert(bgr, a, 0);
        new ImageDecoder(3, 2, 3, 0, 0).convert(rgb, b, 0);
        assertThat(a).containsExactly(b);
        assertThat(a[0] & 0xff).isEqualTo(0x41);
        assertThat(a[6 + 1] & 0xff).isEqualTo(4);
    }
}
