package io.lathe.sensitivity;

import io.lathe.job.Progress;

import java.util.List;

/**
 * Measures what a {@link SensitivitySweep} asks for: the unchanged network's predictions, then each
 * series of variants. {@link LocalSeriesRunner} does it on this machine's engine thread; a cluster
 * runner hands the variants to other machines, each of which runs a {@link LocalSeriesRunner}, so the
 * predictions are the same either way. Called from one thread.
 */
public interface SeriesRunner {
    /** Receives one variant's predictions; returns false to skip the rest of that series. */
    @FunctionalInterface
    interface Sink {
        boolean accept(SweepSeries series, int index, int[] predictions);
    }

    /** Predicted class of every image by the unchanged network. */
    int[] baseline(Progress progress);

    /**
     * Measures every series; within a series the variants reach {@code sink} in level order (series may
     * interleave). Cancellable; returns when every series is measured or stopped early.
     */
    void run(List<SweepSeries> series, Sink sink, Progress progress);
}
