package io.lathe.worker;

import io.lathe.session.FineTuneRun;
import io.lathe.train.FineTuneListener;

/**
 * What a running fine-tune reports, wherever it runs: live figures ({@link FineTuneListener}), progress,
 * and exactly one ending. Called on background threads (a worker's reader threads, or the engine
 * thread and the runner's callback executor): implementations hand over to their own thread.
 */
public interface FineTuneEvents extends FineTuneListener {
    /** How far the job is and what it does now (also while the worker loads the model and data). */
    default void progress(double fraction, String message) {
    }

    /** The run finished and wrote its files. */
    void succeeded(FineTuneRun.Outcome outcome);

    /**
     * The run failed: an exception in process; in a worker a {@link WorkerException}, which carries how
     * the worker ended (its last log lines, and the cause when it died).
     */
    void failed(Throwable cause);

    /** The run stopped because it was cancelled; the checkpoint it wrote last is kept. */
    void cancelled();
}
