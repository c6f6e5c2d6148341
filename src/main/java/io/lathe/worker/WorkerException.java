package io.lathe.worker;

import java.util.List;

/** A job that failed in a worker process: its error message, or the cause of its death, with how it ended. */
public final class WorkerException extends RuntimeException {
    private final transient WorkerExit exit;

    public WorkerException(String message, WorkerExit exit) {
        super(message);
        this.exit = exit;
    }

    /** How the worker ended. */
    public WorkerExit exit() {
        return exit;
    }

    /** True when the worker died without saying why (crash, out of memory, killed). */
    public boolean died() {
        return exit.died();
    }

    /** The last lines of the worker's log, oldest first. */
    public List<String> lastLines() {
        return exit.lastLines();
    }
}
