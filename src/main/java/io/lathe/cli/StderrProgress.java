package io.lathe.cli;

import io.lathe.job.Progress;

/** Progress for headless runs: prints the message on stderr at most every few seconds. */
final class StderrProgress implements Progress {
    private final long intervalNanos;
    private long last;

    private StderrProgress(long seconds) {
        this.intervalNanos = seconds * 1_000_000_000L;
    }

    static Progress every(long seconds) {
        return new StderrProgress(seconds);
    }

    @Override
    public synchronized void update(double fraction, String message) {
        long now = System.nanoTime();
        if (now - last >= intervalNanos) {
            last = now;
            System.err.printf("[%3.0f%%] %s%n", 100 * fraction, message);
        }
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
