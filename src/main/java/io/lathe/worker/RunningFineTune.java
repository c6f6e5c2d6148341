package io.lathe.worker;

/** A started fine-tune, in the window's process or in a worker: its commands and where it runs. Thread-safe. */
public interface RunningFineTune {
    /** Holds the run before its next step. */
    void pause();

    /** Lets a paused run continue. */
    void resume();

    /** Stops the run; in a worker: a cancel message, then a kill after a grace period. */
    void cancel();

    /** Estimated seconds left, or NaN when unknown. */
    double etaSeconds();

    /** Where it runs, in words ("worker process 4242", "the window's engine thread"). */
    String where();
}
