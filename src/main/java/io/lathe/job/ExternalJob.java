package io.lathe.job;

/**
 * A job that runs outside the engine thread (in a worker process), shown in the jobs area like the
 * engine's own: the code that runs it reports its start, progress and end here. Thread-safe.
 *
 * @param <T> the result
 */
public final class ExternalJob<T> {
    private final JobHandle<T> handle;

    ExternalJob(JobHandle<T> handle) {
        this.handle = handle;
    }

    /** The handle the jobs area shows; its cancel reaches the code that runs the job. */
    public JobHandle<T> handle() {
        return handle;
    }

    public void started() {
        handle.start();
    }

    public void progress(double fraction, String message) {
        handle.update(fraction, message);
    }

    public void succeeded(T value) {
        handle.finish(JobHandle.State.SUCCEEDED);
        handle.result().complete(value);
    }

    public void failed(Throwable cause) {
        handle.finish(JobHandle.State.FAILED);
        handle.result().completeExceptionally(cause);
    }

    public void cancelled() {
        handle.finish(JobHandle.State.CANCELLED);
        handle.result().completeExceptionally(new CancelledException());
    }
}
