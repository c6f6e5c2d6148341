package io.lathe.job;

/**
 * Where a running job reports how far it is and learns whether it was cancelled. Implementations
 * are thread-safe; jobs call {@link #checkCancelled()} between units of work.
 */
public interface Progress {
    /** Reports the fraction done (0..1) and what is happening now. */
    void update(double fraction, String message);

    /** True once cancellation was requested. */
    boolean isCancelled();

    /** Throws {@link CancelledException} if cancellation was requested or the thread interrupted. */
    default void checkCancelled() {
        if (isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new CancelledException();
        }
    }

    /** A progress sink that ignores reports and is never cancelled. */
    static Progress none() {
        return NoProgress.INSTANCE;
    }

    /** A sub-range of this progress: fractions 0..1 map to {@code from..to}. */
    default Progress range(double from, double to) {
        Progress parent = this;
        return new Progress() {
            @Override
            public void update(double fraction, String message) {
                parent.update(from + (to - from) * Math.max(0, Math.min(1, fraction)), message);
            }

            @Override
            public boolean isCancelled() {
                return parent.isCancelled();
            }
        };
    }
}
