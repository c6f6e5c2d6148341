package io.lathe.data;

import java.util.Objects;

/** Train, validation and test images as read, before preprocessing. */
record RawSplits(String source, RawImages train, RawImages validation, RawImages test) {
    RawSplits {
        Objects.requireNonNull(train);
        Objects.requireNonNull(validation);
        Objects.requireNonNull(test);
    }

    /** A full training set split into its first {@code n - validationSize} and last {@code validationSize}. */
    static RawSplits of(String source, RawImages fullTrain, RawImages test, int validationSize) {
        int n = fullTrain.size();
        if (validationSize <= 0 || validationSize >= n) {
            throw new IllegalArgumentException("validation size " + validationSize + " must be between 1 and "
                    + (n - 1) + " for " + n + " training images");
        }
        return new RawSplits(source, fullTrain.slice(0, n - validationSize, "train"),
                fullTrain.slice(n - validationSize, n, "validation"), rename(test, "test"));
    }

    static RawImages rename(RawImages r, String name) {
        return new RawImages(name, r.pixels(), r.labels(), r.channels(), r.height(), r.width(), r.classNames());
    }
}
