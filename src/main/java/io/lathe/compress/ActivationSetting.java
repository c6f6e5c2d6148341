package io.lathe.compress;

/**
 * Activation pruning of one ReLU layer: at inference its outputs at or below {@code threshold} become
 * zero ({@code f(x) = x if x > t, else 0}; DL4J's thresholded ReLU, ONNX {@code ThresholdedRelu}).
 * A target activation sparsity is turned into thresholds by measuring activations on training images
 * (see {@code io.lathe.structure.ActivationPruning}); the plan records the thresholds, so preview,
 * evaluation, fine-tuning and export agree without data.
 *
 * @param threshold 0 = plain ReLU (off)
 */
public record ActivationSetting(double threshold) {
    /** Plain ReLU. */
    public static final ActivationSetting NONE = new ActivationSetting(0);

    public ActivationSetting {
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("activation threshold must be a finite number >= 0, got " + threshold);
        }
    }

    /** A threshold (0 = off). */
    public static ActivationSetting threshold(double t) {
        return new ActivationSetting(t);
    }

    /** True for plain ReLU. */
    public boolean isNone() {
        return threshold == 0;
    }
}
