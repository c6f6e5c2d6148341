package io.lathe.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Images as they were read, before any preprocessing: pixels 0-255 (one byte each) in NCHW order,
 * RGB for colour, one image after another, with class labels. The readers produce these; {@link
 * Preprocessor} turns them into the floats a model takes. Immutable by convention: the arrays are not
 * copied, so callers must not write into them.
 *
 * @param name       a short description (split or file name)
 * @param pixels     {@code count * channels * height * width} bytes, unsigned
 * @param labels     class index per image
 * @param channels   channels per image (1 or 3)
 * @param height     image height
 * @param width      image width
 * @param classNames display names of the classes, one per class
 */
record RawImages(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                 String[] classNames) {
    RawImages {
        Objects.requireNonNull(name);
        if (pixels.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException("pixel count " + pixels.length + " does not match "
                    + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
    }

    int size() {
        return labels.length;
    }

    int imageSize() {
        return channels * height * width;
    }

    int classes() {
        return classNames.length;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    RawImages slice(int from, int to, String sliceName) {
        return new RawImages(sliceName, Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize()),
                Arrays.copyOfRange(labels, from, to), channels, height, width, classNames);
    }

    /** The images at {@code indices}, in that order. */
    RawImages select(int[] indices, String selectionName) {
        int n = imageSize();
        byte[] px = new byte[indices.length * n];
        int[] lb = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * n, px, k * n, n);
            lb[k] = labels[indices[k]];
        }
        return new RawImages(selectionName, px, lb, channels, height, width, classNames);
    }

    /** The same images with labels renumbered by {@code map} (old index → new) and new class names. */
    RawImages relabel(int[] map, String[] newNames) {
        int[] lb = new int[labels.length];
        for (int i = 0; i < lb.length; i++) {
            lb[i] = map[labels[i]];
        }
        return new RawImages(name, pixels, lb, channels, height, width, newNames);
    }

    /** A SHA-256 over shape, labels and pixels: keys the cached per-pixel mean. */
    String fingerprint() {
        var md = Fingerprints.sha256();
        md.update(java.nio.ByteBuffer.allocate(16).putInt(channels).putInt(height).putInt(width).putInt(size())
                .array());
        java.nio.ByteBuffer lb = java.nio.ByteBuffer.allocate(4 * labels.length);
        lb.asIntBuffer().put(labels);
        md.update(lb.array());
        md.update(pixels);
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
