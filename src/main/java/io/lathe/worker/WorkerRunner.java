package io.lathe.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lathe.job.CancelledException;
import io.lathe.job.Progress;
import io.lathe.session.EvaluateRequest;
import io.lathe.session.EvaluateResult;
import io.lathe.session.Request;
import io.lathe.session.RequestRunner;
import io.lathe.session.Requests;
import io.lathe.session.SweepRequest;
import io.lathe.session.SweepResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs a {@link Request} in a worker process (decision 0014's child JVM): the request goes as one JSON
 * line, progress comes back as lines, and the result line is read back into the result record. A
 * cancelled progress sends "cancel", then kills the worker after a grace period. A worker that dies
 * (native crash, out of memory, killed) ends the call with a {@link WorkerException} carrying the cause
 * and the last lines of its log; nothing in the calling process is touched.
 */
public final class WorkerRunner implements RequestRunner {
    private static final Duration GRACE = Duration.ofSeconds(5);
    private final WorkerLauncher launcher;
    private final Path workRoot;

    /**
     * @param launcher how workers are started (limits, priority)
     * @param workRoot folder under which each run gets its own folder (log, crash logs)
     */
    public WorkerRunner(WorkerLauncher launcher, Path workRoot) {
        this.launcher = launcher;
        this.workRoot = workRoot;
    }

    @Override
    public <R> R run(Request<R> request, Consumer<Object> partial, Progress progress) throws Exception {
        Class<R> type = resultType(request);
        Files.createDirectories(workRoot);
        Path dir = Files.createTempDirectory(workRoot, "request-");
        CompletableFuture<WorkerExit> ended = new CompletableFuture<>();
        progress.update(0, "starting a worker process");
        WorkerProcess worker = launcher.start(Requests.toJson(request), dir, new WorkerProcess.Listener() {
            @Override
            public void message(JsonNode m) {
                if (WorkerProtocol.PROGRESS.equals(m.path("type").asText())) {
                    progress.update(m.path("fraction").asDouble(), m.path("message").asText());
                }
            }

            @Override
            public void exited(WorkerExit exit) {
                ended.complete(exit);
            }
        });
        WorkerExit exit;
        while (true) {
            try {
                exit = ended.get(100, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (progress.isCancelled()) {
                    worker.cancel(GRACE);
                    ended.get(GRACE.toSeconds() + 10, TimeUnit.SECONDS);
                    throw new CancelledException();
                }
            }
        }
        String terminal = exit.terminalType();
        if (WorkerProtocol.RESULT.equals(terminal)) {
            return Requests.resultFromJson(exit.terminal().get("result").toString(), type);
        }
        if (WorkerProtocol.CANCELLED.equals(terminal)) {
            throw new CancelledException();
        }
        if (WorkerProtocol.ERROR.equals(terminal)) {
            throw new WorkerException(exit.terminal().path("message").asText(), exit);
        }
        throw new WorkerException("the worker process died: " + exit.cause(), exit);
    }

    @SuppressWarnings("unchecked")
    private static <R> Class<R> resultType(Request<R> r) {
        if (r instanceof EvaluateRequest) {
            return (Class<R>) EvaluateResult.class;
        }
        if (r instanceof SweepRequest) {
            return (Class<R>) SweepResult.class;
        }
        throw new IllegalArgumentException("no result type for " + r.getClass().getSimpleName());
    }
}
