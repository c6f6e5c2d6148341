package io.lathe.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory set of single-channel or multi-channel images with class labels, stored as the
 * model's input floats (pixels 0-255 after the data's {@link Preprocessing}; [0, 1] for {@code unit})
 * in NCHW order, one image after another. Immutable: the arrays are never exposed for writing.
 *
 * @param name      a short description (file or split name) shown to the user
 * @param pixels    all images, {@code count * channels * height * width} values
 * @param labels    class index per image
 * @param channels  channels per image
 * @param height    image height
 * @param width     image width
 * @param classes   number of classes
 * @param classNames display names of the classes, one per class
 */
public record LabeledImages(String name, float[] pixels, int[] labels, int channels, int height, int width,
                            int classes, String[] classNames) {

    public LabeledImages {
        Objects.requireNonNull(name);
        if (pixels.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException("pixel count " + pixels.length + " does not match "
                    + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
        if (classNames.length != classes) {
            throw new IllegalArgumentException(classes + " classes but " + classNames.length + " names");
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Values per image. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Label of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Copies image {@code i} into {@code dst} at {@code offset}. */
    public void copyImage(int i, float[] dst, int offset) {
        System.arraycopy(pixels, i * imageSize(), dst, offset, imageSize());
    }

    /** The images {@code from} (inclusive) to {@code to} (exclusive) as a new set. */
    public LabeledImages slice(int from, int to, String sliceName) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("slice " + from + ".." + to + " of " + size());
        }
        return new LabeledImages(sliceName, Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize()),
                Arrays.copyOfRange(labels, from, to), channels, height, width, classes, classNames);
    }

    /** The images at the given indices, in that order, as a new set. */
    public LabeledImages select(int[] indices, String selectionName) {
        int n = imageSize();
        float[] px = new float[indices.length * n];
        int[] lb = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * n, px, k * n, n);
            lb[k] = labels[indices[k]];
        }
        return new LabeledImages(selectionName, px, lb, channels, height, width, classes, classNames);
    }

    /** The images of {@code parts} one after another (same shape and classes), as a new set. */
    public static LabeledImages concat(String concatName, LabeledImages... parts) {
        LabeledImages first = parts[0];
        int count = 0;
        for (LabeledImages p : parts) {
            if (p.channels != first.channels || p.height != first.height || p.width != first.width
                    || !Arrays.equals(p.classNames, first.classNames)) {
                throw new IllegalArgumentException("cannot join " + p.name + " to " + first.name
                        + ": different image shape or classes");
            }
            count += p.size();
        }
        float[] px = new float[count * first.imageSize()];
        int[] lb = new int[count];
        int at = 0;
        for (LabeledImages p : parts) {
            System.arraycopy(p.pixels, 0, px, at * first.imageSize(), p.pixels.length);
            System.arraycopy(p.labels, 0, lb, at, p.size());
            at += p.size();
        }
        return new LabeledImages(concatName, px, lb, first.channels, first.height, first.width, first.classes,
                first.classNames);
    }

    /** The first {@code n} images (or all if fewer). */
    public LabeledImages limit(int n) {
        return n >= size() ? this : slice(0, n, name + " (first " + n + ")");
    }

    /** A content fingerprint (SHA-256 over labels and pixels), used to key cached results. */
    public String fingerprint() {
        return Fingerprints.of(this);
    }
}
