package io.lathe.ui;

import io.lathe.job.CancelledException;
import io.lathe.job.EngineRunner;
import io.lathe.job.Job;
import io.lathe.job.JobHandle;
import io.lathe.job.Progress;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The newest background job of a view model: runs the latest request on the engine runner and shows
 * its state, progress (fraction and stage text) and a status line; hands its partial results and its
 * outcome to the FX thread, and drops whatever a replaced or dropped job still delivers (each start is
 * a new generation). Starting a job drops the one before it. {@link #cancel()} asks the running job to
 * stop and tells the owner when it has; {@link #drop()} stops listening to it at once.
 *
 * <p>The owner's outcome handler runs before the job stops counting as running, so whoever sees it stop
 * also sees its result and status; then {@link #runningProperty()} turns false and after it the state
 * changes. A failure is reported to the error reporter under the job's title after the state turned
 * {@link State#FAILED}.
 *
 * <p>FX thread, except the sinks returned by {@link #newest} and {@link #each}, which any thread may call.
 *
 * @param <R> the job's result
 */
public final class LatestJob<R> {
    /** Where the newest job is. */
    public enum State { IDLE, RUNNING, DONE, CANCELLED, FAILED }

    private record Step(double fraction, String message) {
    }

    private final EngineRunner runner;
    private final Executor fx;
    private final ErrorReporter errors;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    /** Written on the FX thread, read by sinks on any thread. */
    private volatile long generation;
    private JobHandle<R> handle;
    private Runnable pending;

    /**
     * @param runner the engine runner jobs are submitted to
     * @param fx     hands engine-thread progress, partial results and outcomes to the FX thread
     * @param errors told of every failed (not cancelled) job of this helper, on the FX thread
     */
    public LatestJob(EngineRunner runner, Executor fx, ErrorReporter errors) {
        this.runner = runner;
        this.fx = fx;
        this.errors = errors;
    }

    /** Starts {@code work} (dropping the job before it); failures are reported, a cancellation changes only the state. */
    public void start(String title, Job<R> work, Consumer<R> onDone) {
        start(title, work, onDone, t -> { }, () -> { });
    }

    /**
     * Starts {@code work}, dropping the job before it. Exactly one handler runs on the FX thread unless
     * the job is dropped or replaced first: {@code onDone} with the result, {@code onFailed} with the
     * failure (which is then reported), or {@code onCancelled} once the job has stopped after a
     * {@link #cancel()}.
     *
     * @param title shown in the jobs area, and the action a failure is reported under
     */
    public void start(String title, Job<R> work, Consumer<R> onDone, Consumer<Throwable> onFailed,
                      Runnable onCancelled) {
        long gen = begin();
        submit(gen, title, work, onDone, onFailed, onCancelled);
    }

    /**
     * As {@link #start(String, Job, Consumer, Consumer, Runnable)}, after a pause on {@code delay}: a
     * request made during the pause replaces this one before it reaches the engine, so a burst of
     * requests (a dragged slider) runs only the last. The job counts as running from now; a
     * {@link #cancel()} during the pause drops the request.
     */
    public void startAfter(Delay delay, Duration pause, String title, Job<R> work, Consumer<R> onDone,
                           Consumer<Throwable> onFailed, Runnable onCancelled) {
        long gen = begin();
        message.set("");
        pending = delay.schedule(pause, () -> {
            pending = null;
            if (gen == generation) {
                submit(gen, title, work, onDone, onFailed, onCancelled);
            }
        });
    }

    /** Drops the job before (running or waiting for its pause) and starts a new generation that counts as running. */
    private long begin() {
        long gen = ++generation;
        cancelHandle();
        state.set(State.RUNNING);
        running.set(true);
        fraction.set(0);
        return gen;
    }

    private void submit(long gen, String title, Job<R> work, Consumer<R> onDone, Consumer<Throwable> onFailed,
                        Runnable onCancelled) {
        message.set("waiting for the engine");
        Consumer<Step> steps = sink(gen, true, s -> {
            fraction.set(s.fraction());
            message.set(s.message());
        });
        JobHandle<R> h = runner.submit(title, p -> work.run(reporting(p, steps)), v -> { }, t -> { });
        handle = h;
        h.result().whenComplete((v, t) -> fx.execute(() -> finish(gen, title, v, t, onDone, onFailed, onCancelled)));
    }

    private static Progress reporting(Progress engine, Consumer<Step> steps) {
        return new Progress() {
            @Override
            public void update(double f, String text) {
                engine.update(f, text);
                steps.accept(new Step(Math.max(0, Math.min(1, f)), text));
            }

            @Override
            public boolean isCancelled() {
                return engine.isCancelled();
            }
        };
    }

    private void finish(long gen, String title, R value, Throwable thrown, Consumer<R> onDone,
                        Consumer<Throwable> onFailed, Runnable onCancelled) {
        if (gen != generation) {
            return;
        }
        Throwable t = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (t == null) {
            try {
                onDone.accept(value);
            } finally {
                end(gen, State.DONE);
            }
        } else if (t instanceof CancelledException) {
            try {
                onCancelled.run();
            } finally {
                end(gen, State.CANCELLED);
            }
        } else {
            try {
                onFailed.accept(t);
            } finally {
                end(gen, State.FAILED);
                errors.report(title, t);
            }
        }
    }

    /** Leaves {@link State#RUNNING}, unless the handler already started a newer job. */
    private void end(long gen, State outcome) {
        if (gen != generation) {
            return;
        }
        handle = null;
        if (outcome == State.DONE) {
            fraction.set(1);
        }
        message.set("");
        running.set(false);
        state.set(outcome);
    }

    /**
     * Asks the running job to stop at its next check; {@code onCancelled} runs, and running turns false,
     * when it has. A job still waiting for its pause is dropped instead.
     */
    public void cancel() {
        if (pending != null) {
            drop();
        } else if (handle != null && state.get() == State.RUNNING) {
            handle.cancel();
        }
    }

    /**
     * Cancels the running job (or the one waiting for its pause) and stops listening to it now: running
     * turns false at once, the state becomes {@link State#IDLE}, and nothing the job still delivers is
     * shown or handled.
     */
    public void drop() {
        generation++;
        cancelHandle();
        message.set("");
        running.set(false);
        state.set(State.IDLE);
    }

    /** Cancels the current handle and pause; the caller has moved to a new generation, so their outcome is ignored. */
    private void cancelHandle() {
        if (pending != null) {
            Runnable unschedule = pending;
            pending = null;
            unschedule.run();
        }
        if (handle != null) {
            JobHandle<R> old = handle;
            handle = null;
            old.cancel();
        }
    }

    /**
     * A sink for partial results (curve points so far, an estimate) of the job started next by this
     * helper: items are handed to {@code onFx} on the FX thread while that job is the newest and still
     * running. Items that arrive faster than the FX thread takes them are coalesced: only the newest
     * waiting one is handed over, so a fast job never floods the FX thread. Call it on the FX thread just
     * before {@link #start}; the sink itself may be called from any thread.
     */
    public <P> Consumer<P> newest(Consumer<P> onFx) {
        return sink(generation + 1, true, onFx);
    }

    /**
     * As {@link #newest}, but every item is handed over, in order (for items that add up, such as
     * measured points, rather than replace each other).
     */
    public <P> Consumer<P> each(Consumer<P> onFx) {
        return sink(generation + 1, false, onFx);
    }

    private <P> Consumer<P> sink(long gen, boolean coalesce, Consumer<P> onFx) {
        if (!coalesce) {
            return item -> fx.execute(() -> {
                if (isLive(gen)) {
                    onFx.accept(item);
                }
            });
        }
        AtomicReference<P> waiting = new AtomicReference<>();
        return item -> {
            if (waiting.getAndSet(item) == null) {
                fx.execute(() -> {
                    P newest = waiting.getAndSet(null);
                    if (newest != null && isLive(gen)) {
                        onFx.accept(newest);
                    }
                });
            }
        };
    }

    private boolean isLive(long gen) {
        return gen == generation && state.get() == State.RUNNING;
    }

    /** Sets the status line the owner shows for this job (what it is doing, how it ended). */
    public void setStatus(String text) {
        status.set(text == null ? "" : text);
    }

    /** Estimated seconds left of the running job, or NaN when unknown. */
    public double etaSeconds() {
        return handle == null ? Double.NaN : handle.etaSeconds();
    }

    /** " — about 2 min 10 s left" for the running job, or "" when the time left is unknown. */
    public String etaText() {
        double eta = etaSeconds();
        return Double.isNaN(eta) ? "" : " — about " + Formats.duration(eta) + " left";
    }

    /** The running job's handle (title, progress, ETA), or null when none runs. */
    public JobHandle<R> handle() {
        return handle;
    }

    public boolean isRunning() {
        return running.get();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** True from the start of a job until its outcome was handled (or it was dropped). */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Fraction the running job reported (0..1); 1 after it succeeded. */
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    /** What the running job says it is doing ("" when none runs). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The owner's status line (see {@link #setStatus}). */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }
}
