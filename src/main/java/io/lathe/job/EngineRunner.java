package io.lathe.job;

import io.lathe.engine.NativeMemoryTrim;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs jobs one at a time on a single engine thread (DL4J networks are not thread-safe), and delivers
 * results, failures and progress through a callback executor: the JavaFX thread in the app, the
 * calling thread in tests ({@link #direct()}). After a job, at most every 10 s, the C allocator's
 * unused memory goes back to the system ({@link NativeMemoryTrim}).
 */
public final class EngineRunner implements AutoCloseable {
    private final ExecutorService engine;
    private final Executor callbacks;
    private final JobHandle.ProgressListener progress;
    private final NativeMemoryTrim trim = new NativeMemoryTrim(Duration.ofSeconds(10));

    /**
     * @param callbacks where callbacks run (e.g. {@code Platform::runLater})
     * @param progress  told of every progress change, on the callback executor
     */
    public EngineRunner(Executor callbacks, JobHandle.ProgressListener progress) {
        this.engine = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lathe-engine");
            t.setDaemon(true);
            return t;
        });
        this.callbacks = callbacks;
        this.progress = progress;
    }

    /** A runner whose callbacks run on the engine thread itself (tests, CLI). */
    public static EngineRunner direct() {
        return new EngineRunner(Runnable::run, job -> { });
    }

    /** Submits a job; exactly one of the callbacks runs, unless the job is cancelled (then neither). */
    public <T> JobHandle<T> submit(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        JobHandle<T> handle = new JobHandle<>(title, h -> callbacks.execute(() -> progress.changed(h)));
        engine.execute(() -> {
            if (handle.isCancelled()) {
                return;
            }
            handle.start();
            try {
                T value = job.run(handle);
                if (handle.isCancelled()) {
                    throw new CancelledException();
                }
                handle.finish(JobHandle.State.SUCCEEDED);
                handle.result().complete(value);
                callbacks.execute(() -> onSuccess.accept(value));
            } catch (CancelledException e) {
                handle.finish(JobHandle.State.CANCELLED);
                handle.result().completeExceptionally(e);
            } catch (Throwable t) {
                handle.finish(JobHandle.State.FAILED);
                handle.result().completeExceptionally(t);
                callbacks.execute(() -> onFailure.accept(t));
            } finally {
                trim.afterJob();
            }
        });
        return handle;
    }

    /**
     * A job that runs elsewhere (a worker process) but is reported through this runner's progress
     * listener, so the jobs area shows it next to the engine's; {@code onCancel} runs when it is cancelled.
     */
    public <T> ExternalJob<T> external(String title, Runnable onCancel) {
        return new ExternalJob<>(new JobHandle<>(title, h -> callbacks.execute(() -> progress.changed(h)), onCancel));
    }

    @Override
    public void close() {
        engine.shutdownNow();
    }
}
