package io.lathe.session;

import io.lathe.job.Progress;

import java.util.function.Consumer;

/**
 * Runs a {@link Request}: in the calling thread ({@link LocalRunner}), on the window's engine thread (the
 * window submits a runner's call as its job), in a worker process or on a cluster. Every runner gives
 * the same result for the same request.
 */
public interface RequestRunner {
    /**
     * Runs {@code request}; {@code partial} (may be null) gets partial results as they come (a sweep's
     * curves so far).
     */
    <R> R run(Request<R> request, Consumer<Object> partial, Progress progress) throws Exception;

    /** Runs {@code request} without partial results. */
    default <R> R run(Request<R> request, Progress progress) throws Exception {
        return run(request, null, progress);
    }
}
