package io.lathe.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lathe.job.EngineRunner;
import io.lathe.job.ExternalJob;
import io.lathe.session.FineTuneRun;
import io.lathe.session.Workspace;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs fine-tunes in worker processes ({@link WorkerLauncher}), so a native crash or an out-of-memory
 * ends the worker, not the window, and the window's engine thread stays free for interactive jobs.
 * Each run gets a working folder under {@code workRoot} (its log and any JVM crash log) and a row in
 * the jobs area. A cancel is a message; a worker still running {@code grace} later is killed.
 */
public final class WorkerLane implements FineTuneLane {
    /** How long a cancelled worker may take to stop before it is killed. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    private final WorkerLauncher launcher;
    private final EngineRunner jobs;
    private final Path workRoot;
    private final Duration grace;

    /**
     * @param launcher starts the worker JVMs
     * @param jobs     the window's runner, whose jobs area shows the worker's job
     * @param workRoot parent of the workers' working folders
     * @param grace    time from a cancel message to the kill
     */
    public WorkerLane(WorkerLauncher launcher, EngineRunner jobs, Path workRoot, Duration grace) {
        this.launcher = launcher;
        this.jobs = jobs;
        this.workRoot = workRoot;
        this.grace = grace;
    }

    @Override
    public RunningFineTune start(String title, FineTuneRequest request, Workspace ws, FineTuneEvents events) {
        AtomicReference<WorkerProcess> process = new AtomicReference<>();
        ExternalJob<FineTuneRun.Outcome> job = jobs.external(title + " (worker)", () -> {
            WorkerProcess p = process.get();
            if (p != null) {
                p.cancel(grace);
            }
        });
        String stem = request.out().getFileName().toString().replaceFirst("\\.zip$", "");
        job.started();
        try {
            process.set(launcher.start(request.toJson(), workRoot.resolve(stem), new Relay(job, events)));
        } catch (IOException e) {
            IOException why = new IOException("the worker process could not start: " + e.getMessage(), e);
            job.failed(why);
            events.failed(why);
            return new InProcessLane.Finished();
        }
        WorkerProcess p = process.get();
        return new RunningFineTune() {
            @Override
            public void pause() {
                p.send(WorkerProtocol.bare(WorkerProtocol.PAUSE));
            }

            @Override
            public void resume() {
                p.send(WorkerProtocol.bare(WorkerProtocol.RESUME));
            }

            @Override
            public void cancel() {
                job.handle().cancel();
            }

            @Override
            public double etaSeconds() {
                return job.handle().etaSeconds();
            }

            @Override
            public String where() {
                return "worker process " + p.pid();
            }
        };
    }

    /** Turns a worker's lines and its end into events, and keeps the jobs-area row up to date. */
    private static final class Relay implements WorkerProcess.Listener {
        private final ExternalJob<FineTuneRun.Outcome> job;
        private final FineTuneEvents events;

        Relay(ExternalJob<FineTuneRun.Outcome> job, FineTuneEvents events) {
            this.job = job;
            this.events = events;
        }

        @Override
        public void message(JsonNode n) {
            switch (n.path("type").asText()) {
                case WorkerProtocol.PROGRESS -> {
                    double f = WorkerJson.number(n, "fraction");
                    String msg = n.path("message").asText();
                    job.progress(f, msg);
                    events.progress(f, msg);
                }
                case WorkerProtocol.STEP -> events.stepDone(WorkerProtocol.readStep(n));
                case WorkerProtocol.EPOCH -> events.epochDone(WorkerProtocol.readEpoch(n));
                default -> {
                    // result, error and cancelled are acted on once the process has exited (WorkerExit.terminal)
                }
            }
        }

        @Override
        public void exited(WorkerExit exit) {
            String type = exit.terminalType();
            if (WorkerProtocol.RESULT.equals(type)) {
                FineTuneRun.Outcome o;
                try {
                    o = WorkerProtocol.readResult(exit.terminal());
                } catch (IllegalArgumentException e) {
                    fail(new WorkerException("the worker's result could not be read: " + e.getMessage(), exit));
                    return;
                }
                job.succeeded(o);
                events.succeeded(o);
            } else if (WorkerProtocol.CANCELLED.equals(type) || (type == null && exit.cancelRequested())) {
                job.cancelled();
                events.cancelled();
            } else if (WorkerProtocol.ERROR.equals(type)) {
                fail(new WorkerException(exit.terminal().path("message").asText(), exit));
            } else {
                fail(new WorkerException("the worker process died: " + exit.cause(), exit));
            }
        }

        private void fail(WorkerException e) {
            job.failed(e);
            events.failed(e);
        }
    }
}
