package io.lathe.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** Turns image sets into ND4J batches (NCHW features, one-hot labels), with optional augmentation. */
public final class Batches {
    private Batches() {
    }

    /** Features of images {@code from..to} as an {@code [n, c, h, w]} array. */
    public static INDArray features(LabeledImages images, int from, int to) {
        int n = to - from;
        float[] buf = new float[n * images.imageSize()];
        System.arraycopy(images.pixels(), from * images.imageSize(), buf, 0, buf.length);
        return Nd4j.create(buf, new long[]{n, images.channels(), images.height(), images.width()}, 'c');
    }

    /** Features of the images at {@code indices[from..to)}, varied by {@code a}. */
    public static INDArray augmented(LabeledImages images, int[] indices, int from, int to, Augmentation a,
                                     Random rnd) {
        return augmented(images, indices, from, to, a.pad(), a.flip(), rnd);
    }

    /**
     * Features of the images at {@code indices}, augmented by random shift ±{@code shift} px and flips.
     * Works on the preprocessed floats as they are: pixels shifted in from outside the image are 0, which
     * after normalisation (mean subtracted) is the mean colour rather than black; that is accepted.
     */
    public static INDArray augmented(LabeledImages images, int[] indices, int from, int to, int shift,
                                     boolean flip, Random rnd) {
        int n = to - from;
        int c = images.channels();
        int h = images.height();
        int w = images.width();
        int size = images.imageSize();
        float[] src = images.pixels();
        float[] buf = new float[n * size];
        for (int k = 0; k < n; k++) {
            int base = indices[from + k] * size;
            int dy = shift == 0 ? 0 : rnd.nextInt(2 * shift + 1) - shift;
            int dx = shift == 0 ? 0 : rnd.nextInt(2 * shift + 1) - shift;
            boolean mirror = flip && rnd.nextBoolean();
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    int sy = y - dy;
                    if (sy < 0 || sy >= h) {
                        continue;
                    }
                    for (int x = 0; x < w; x++) {
                        int sx0 = x - dx;
                        if (sx0 < 0 || sx0 >= w) {
                            continue;
                        }
                        int sx = mirror ? w - 1 - sx0 : sx0;
                        buf[k * size + (ch * h + y) * w + x] = src[base + (ch * h + sy) * w + sx];
                    }
                }
            }
        }
        return Nd4j.create(buf, new long[]{n, c, h, w}, 'c');
    }

    /** One-hot labels of the images at {@code indices[from..to)}. */
    public static INDArray oneHot(LabeledImages images, int[] indices, int from, int to) {
        int n = to - from;
        float[] buf = new float[n * images.classes()];
        for (int k = 0; k < n; k++) {
            buf[k * images.classes() + images.label(indices[from + k])] = 1f;
        }
        return Nd4j.create(buf, new long[]{n, images.classes()}, 'c');
    }

    /** One-hot labels of images {@code from..to}. */
    public static INDArray oneHot(LabeledImages images, int from, int to) {
        int n = to - from;
        float[] buf = new float[n * images.classes()];
        for (int k = 0; k < n; k++) {
            buf[k * images.classes() + images.label(from + k)] = 1f;
        }
        return Nd4j.create(buf, new long[]{n, images.classes()}, 'c');
    }
}
