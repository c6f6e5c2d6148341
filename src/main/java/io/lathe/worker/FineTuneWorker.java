package io.lathe.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lathe.data.DataSplits;
import io.lathe.job.CancelledException;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoadException;
import io.lathe.model.ModelLoader;
import io.lathe.session.FineTuneRun;
import io.lathe.session.LocalRunner;
import io.lathe.session.Requests;
import io.lathe.session.Workspace;
import io.lathe.train.FineTuneListener;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker process's side of a fine-tune: reads one {@link FineTuneRequest} line from {@code in},
 * rebuilds the window's workspace from it, runs the same {@link FineTuneRun} the window would run in
 * process, and answers in {@link WorkerProtocol} lines on {@code out}. Later lines on {@code in} pause,
 * resume or cancel the run; the end of {@code in} (the window is gone) cancels it too. Logs go to
 * stderr. One request per instance.
 */
public final class FineTuneWorker {
    /** Exit code of a run that ended with a result or was cancelled. */
    public static final int DONE = 0;
    /** Exit code after an {@code error} line. */
    public static final int FAILED = 1;
    /** Exit code for a request that could not be read or was refused. */
    public static final int REFUSED = 2;
    private static final long PROGRESS_EVERY_NANOS = 200_000_000L;
    private final BufferedReader in;
    private final PrintStream out;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private boolean pauseRequested;
    private FineTuneRun run;

    /**
     * @param in  the request line, then control lines
     * @param out where protocol lines go (nothing else may write to it)
     */
    public FineTuneWorker(InputStream in, PrintStream out) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
    }

    /**
     * Serves one request and returns the process's exit code: a fine-tune ({@link FineTuneRequest}), or any
     * {@link io.lathe.session.Request} (evaluation, sensitivity sweep), which runs as {@link LocalRunner}
     * runs it in the window and is answered with a {@code result} line carrying the result as
     * {@link Requests#resultJson} writes it.
     */
    public int serve() {
        Callable<String> job;
        try {
            String line = in.readLine();
            if (line == null) {
                send(WorkerProtocol.error("no request: standard input ended before the first line"));
                return REFUSED;
            }
            if (isRequest(line)) {
                io.lathe.session.Request<?> request = Requests.fromJson(line);
                job = () -> WorkerProtocol.requestResult(Requests.resultJson(
                        LocalRunner.opening().run(request, null, new Reporter())));
            } else {
                FineTuneRequest request = FineTuneRequest.fromJson(line);
                job = () -> WorkerProtocol.result(run(request));
            }
        } catch (IOException | RuntimeException e) {
            send(WorkerProtocol.error("bad request: " + e.getMessage()));
            return REFUSED;
        }
        Thread control = new Thread(this::readControl, "lathe-worker-control");
        control.setDaemon(true);
        control.start();
        try {
            send(job.call());
            return DONE;
        } catch (CancelledException e) {
            send(WorkerProtocol.bare(WorkerProtocol.CANCELLED));
            return DONE;
        } catch (RefusedException e) {
            send(WorkerProtocol.error(e.getMessage()));
            return REFUSED;
        } catch (Exception | OutOfMemoryError e) {
            e.printStackTrace();
            send(WorkerProtocol.error(describe(e)));
            return FAILED;
        }
    }

    /** True for a {@link io.lathe.session.Request} line (it names its {@code "kind"}). */
    private static boolean isRequest(String line) {
        try {
            return line.strip().startsWith("{") && WorkerJson.parse(line.strip()).has("kind");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private FineTuneRun.Outcome run(FineTuneRequest r) throws Exception {
        Progress progress = new Reporter();
        progress.update(0, "worker: reading " + r.modelFile().getFileName());
        LoadedModel m = load(r.modelFile(), r.modelSha256(), "model").withPreprocessing(r.preprocessing());
        progress.checkCancelled();
        progress.update(0, "worker: reading the data");
        DataSplits data = Workspace.loadData(r.dataFolder(), m);
        Workspace ws = Workspace.of(m, data, Progress.none());
        if (ws.data() == null) {
            throw new RefusedException("the data does not fit the model: " + ws.dataProblem());
        }
        if (r.teacherFile() != null) {
            ws.withTeacher(load(r.teacherFile(), r.teacherSha256(), "teacher"));
        }
        FineTuneRun mine = r.newRun(ws, new FineTuneListener() {
            @Override
            public void stepDone(StepUpdate update) {
                send(WorkerProtocol.step(update));
            }

            @Override
            public void epochDone(EpochRecord record) {
                send(WorkerProtocol.epoch(record));
            }
        });
        synchronized (this) {
            run = mine;
            if (pauseRequested) {
                mine.pause();
            }
        }
        System.err.println("worker: " + mine.totalSteps() + " steps, writing " + r.out());
        return mine.run(progress);
    }

    /** Loads a model file and refuses it when it is not the file the window opened. */
    private static LoadedModel load(java.nio.file.Path file, String sha256, String what) throws ModelLoadException {
        LoadedModel m = ModelLoader.load(file);
        if (!m.sha256().equals(sha256)) {
            throw new RefusedException("refused: the " + what + " file " + file + " has SHA-256 " + abbreviate(m.sha256())
                    + " but the window opened " + abbreviate(sha256) + " (the file changed since it was opened)");
        }
        return m;
    }

    private static String abbreviate(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length())) + "…";
    }

    /** Reads control lines until the input ends; its end cancels the run (the window is gone). */
    private void readControl() {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode n = WorkerProtocol.message(line);
                String type = n == null ? "" : n.path("type").asText();
                switch (type) {
                    case WorkerProtocol.CANCEL -> cancel();
                    case WorkerProtocol.PAUSE -> pause(true);
                    case WorkerProtocol.RESUME -> pause(false);
                    default -> System.err.println("worker: ignored a line it does not know: "
                            + WorkerJson.abbreviate(line));
                }
            }
            System.err.println("worker: standard input ended (the window is gone); cancelling");
        } catch (IOException e) {
            System.err.println("worker: reading standard input failed (" + e.getMessage() + "); cancelling");
        }
        cancel();
    }

    private synchronized void pause(boolean hold) {
        pauseRequested = hold;
        if (run != null) {
            if (hold) {
                run.pause();
            } else {
                run.resume();
            }
        }
    }

    private void cancel() {
        cancelled.set(true);
        pause(false);
    }

    private synchronized void send(String line) {
        out.println(line);
        out.flush();
        if (out.checkError()) {
            throw new UncheckedIOException(new IOException("the window stopped reading the worker's output"));
        }
    }

    static String describe(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return t instanceof OutOfMemoryError ? "out of memory: " + msg : msg;
    }

    /**
     * Progress that goes out as protocol lines: at most five a second while the message only changes in
     * its numbers ("epoch 1/5, step 17/430, …"), at once when it says something new.
     */
    private final class Reporter implements Progress {
        private long lastNanos;
        private String lastKind;

        @Override
        public synchronized void update(double fraction, String message) {
            long now = System.nanoTime();
            String kind = message.replaceAll("[0-9][0-9.,]*", "#");
            if (kind.equals(lastKind) && now - lastNanos < PROGRESS_EVERY_NANOS) {
                return;
            }
            lastNanos = now;
            lastKind = kind;
            send(WorkerProtocol.progress(fraction, message));
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }

    /** A request the worker will not run (another model file, data that does not fit). */
    static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }
}
