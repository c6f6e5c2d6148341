package io.lathe;

import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;

import java.util.Random;

/**
 * Small synthetic grey image sets for the {@link TinyResNet} networks, each with the property its tests
 * rely on (learnable, or merely varied). Deterministic for a seed.
 */
public final class TinyImages {
    private TinyImages() {
    }

    /** Uniform random {@code size}×{@code size} images in [0, 1] with random labels 0..2, named {@code name}. */
    public static LabeledImages uniform(String name, int n, int size, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
        }
        return new LabeledImages(name, px, labels, 1, size, size, 3, new String[]{"a", "b", "c"});
    }

    /** Uniform random train/validation/test splits of {@code n} images each (seeds {@code seed}, +1, +2). */
    public static DataSplits uniformSplits(int n, int size, long seed) {
        return new DataSplits("synthetic", uniform("train", n, size, seed), uniform("validation", n, size, seed + 1),
                uniform("test", n, size, seed + 2));
    }

    /** {@code size}×{@code size} images whose label (0..3) is the brightest quadrant, so even a random network gets some right. */
    public static LabeledImages brightestQuadrant(int n, int size, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * size * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int q = r.nextInt(4);
            labels[i] = q;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int quad = (y < size / 2 ? 0 : 2) + (x < size / 2 ? 0 : 1);
                    px[i * size * size + y * size + x] = r.nextFloat() * 0.5f + (quad == q ? 0.5f : 0f);
                }
            }
        }
        return new LabeledImages("tiny", px, labels, 1, size, size, 4, new String[]{"a", "b", "c", "d"});
    }

    /** {@code size}×{@code size} images whose class (0..2) is the brightest third (top, middle, bottom rows), plus noise: learnable. */
    public static LabeledImages brightestThird(int n, int size, long seed) {
        Random rnd = new Random(seed);
        float[] px = new float[n * size * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(3);
            labels[i] = c;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean lit = y * 3 / size == c;
                    px[i * size * size + y * size + x] = (lit ? 0.6f : 0.1f) + 0.3f * rnd.nextFloat();
                }
            }
        }
        return new LabeledImages("tiny", px, labels, 1, size, size, 3, new String[]{"top", "middle", "bottom"});
    }

    /**
     * {@code n} {@code size}×{@code size} images of random waves, labelled 0..{@code classes}-1 in blocks
     * of consecutive images (not interleaved).
     */
    public static LabeledImages waves(int n, int size, int classes, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * size * size];
        for (int i = 0; i < n; i++) {
            double fx = r.nextDouble() * 2;
            double fy = r.nextDouble() * 2;
            double level = r.nextDouble();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double v = level * (0.5 + 0.5 * Math.sin(fx * x + fy * y)) + 0.2 * r.nextDouble();
                    px[i * size * size + y * size + x] = (float) Math.min(1, v);
                }
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * classes) / n;
        }
        String[] names = new String[classes];
        for (int c = 0; c < classes; c++) {
            names[c] = "class " + c;
        }
        return new LabeledImages("random", px, labels, 1, size, size, classes, names);
    }
}
