package io.lathe.sensitivity;

import io.lathe.compress.CompressedLayer;
import io.lathe.job.Progress;

import java.util.List;

/**
 * Computes the predictions of a network in which exactly one layer is replaced by each of several
 * compressed variants in turn, every other layer keeping its original weights. Implementations run
 * on the engine thread only and never change the loaded model.
 */
public interface SweepEngine {
    /** Receives the predictions of one variant; returns false to skip the remaining variants. */
    @FunctionalInterface
    interface VariantSink {
        boolean accept(int variant, int[] predictions);
    }

    /** Predicted class of every image by the unchanged network. */
    int[] baseline(Progress progress);

    /**
     * Runs each variant of {@code layer} in list order, handing each one's predictions to {@code sink}
     * as soon as they are complete. Cancellable between batches; the working network is restored to the
     * original weights before returning or throwing.
     */
    void run(String layer, List<CompressedLayer> variants, VariantSink sink, Progress progress);

    /** A short name for reports ("naive", "suffix"). */
    String name();
}
