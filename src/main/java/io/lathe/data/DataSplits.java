package io.lathe.data;

import java.util.Objects;

/**
 * A data set divided into train, validation and test splits, already preprocessed. For idx data the
 * training file is split into its first {@code n - validationSize} images (train) and its last
 * {@code validationSize} (validation); the test file is the test split.
 *
 * @param source        where the data came from, for display
 * @param preprocessing what was applied to the pixels (0-255) to give these floats
 * @param pixelMean     the training split's mean image when {@code preprocessing.pixelMean()}, else null
 * @param augmentation  how fine-tuning varies the training images by default (from the data's format)
 */
public record DataSplits(String source, LabeledImages train, LabeledImages validation, LabeledImages test,
                         Preprocessing preprocessing, PixelMean pixelMean, Augmentation augmentation) {
    /** Validation images taken from the end of the training file (DESIGN.md: last 5,000). */
    public static final int DEFAULT_VALIDATION_SIZE = 5_000;

    public DataSplits {
        Objects.requireNonNull(train);
        Objects.requireNonNull(validation);
        Objects.requireNonNull(test);
        Objects.requireNonNull(preprocessing);
        Objects.requireNonNull(augmentation);
    }

    /** Splits without augmentation. */
    public DataSplits(String source, LabeledImages train, LabeledImages validation, LabeledImages test,
                      Preprocessing preprocessing, PixelMean pixelMean) {
        this(source, train, validation, test, preprocessing, pixelMean, Augmentation.NONE);
    }

    /** The same splits, fine-tuned with {@code a} by default. */
    public DataSplits withAugmentation(Augmentation a) {
        return new DataSplits(source, train, validation, test, preprocessing, pixelMean, a);
    }

    /** Splits of images already scaled to [0, 1] ({@link Preprocessing#unit()}). */
    public DataSplits(String source, LabeledImages train, LabeledImages validation, LabeledImages test) {
        this(source, train, validation, test, Preprocessing.unit(), null);
    }

    /** Splits a full training set (scaled to [0, 1]) and a test set per DESIGN.md. */
    public static DataSplits of(String source, LabeledImages fullTrain, LabeledImages test, int validationSize) {
        int n = fullTrain.size();
        if (validationSize <= 0 || validationSize >= n) {
            throw new IllegalArgumentException("validation size " + validationSize + " must be between 1 and "
                    + (n - 1) + " for " + n + " training images");
        }
        return new DataSplits(source, fullTrain.slice(0, n - validationSize, "train"),
                fullTrain.slice(n - validationSize, n, "validation"), test.slice(0, test.size(), "test"));
    }

    /** The named split. */
    public LabeledImages get(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
        };
    }

    /**
     * Every image of the data set (train, then validation, then test): for evaluating a folder that is
     * itself a held-out set, such as a folder of exact test images without {@code train/}.
     */
    public LabeledImages all() {
        return LabeledImages.concat("all", train, validation, test);
    }

    /** Number of classes (the training split's). */
    public int classes() {
        return train.classes();
    }
}
