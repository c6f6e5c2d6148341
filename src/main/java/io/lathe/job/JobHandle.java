package io.lathe.job;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A submitted job: its title, live progress, cancellation and result. Thread-safe. Progress fields
 * are written by the worker and read by anyone; listeners are called on the runner's callback executor.
 */
public final class JobHandle<T> implements Progress {
    /** Lifecycle of a job. */
    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED }

    private final String title;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile double fraction;
    private volatile String message = "waiting";
    private volatile State state = State.QUEUED;
    private volatile long startNanos;
    private final ProgressListener listener;
    private final Runnable onCancel;

    /** Receives progress; called on the runner's callback executor. */
    public interface ProgressListener {
        void changed(JobHandle<?> job);
    }

    JobHandle(String title, ProgressListener listener) {
        this(title, listener, () -> { });
    }

    /** A handle whose {@link #cancel()} also runs {@code onCancel} (for work running outside the engine). */
    JobHandle(String title, ProgressListener listener, Runnable onCancel) {
        this.title = title;
        this.listener = listener;
        this.onCancel = onCancel;
    }

    public String title() {
        return title;
    }

    public double fraction() {
        return fraction;
    }

    public String message() {
        return message;
    }

    public State state() {
        return state;
    }

    /** Estimated seconds left from the elapsed time and fraction, or NaN if unknown. */
    public double etaSeconds() {
        double f = fraction;
        if (state != State.RUNNING || f <= 0.02) {
            return Double.NaN;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return elapsed * (1 - f) / f;
    }

    /** The result, completed exceptionally with {@link CancelledException} when cancelled. */
    public CompletableFuture<T> result() {
        return result;
    }

    /** Requests cancellation; the job stops at its next check. */
    public void cancel() {
        if (!cancelled.getAndSet(true)) {
            onCancel.run();
        }
        if (state == State.QUEUED) {
            finish(State.CANCELLED);
            result.completeExceptionally(new CancelledException());
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public void update(double f, String msg) {
        fraction = Math.max(0, Math.min(1, f));
        message = msg;
        listener.changed(this);
    }

    void start() {
        startNanos = System.nanoTime();
        state = State.RUNNING;
        listener.changed(this);
    }

    void finish(State s) {
        state = s;
        if (s == State.SUCCEEDED) {
            fraction = 1;
        }
        listener.changed(this);
    }
}
