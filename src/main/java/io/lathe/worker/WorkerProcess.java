package io.lathe.worker;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running worker JVM seen from the window: writes the request and control lines to its stdin, hands
 * every protocol line from its stdout to a listener, keeps its log (stderr, and stray stdout text such
 * as the JVM's own crash banner) in a ring of the last {@value #RING_LINES} lines and in a log file,
 * and reports how it ended ({@link WorkerExit}) once it has exited and its streams are drained.
 * Thread-safe; the listener is called on the worker's reader threads.
 */
public final class WorkerProcess {
    /** Lines of log kept in memory for a failure report. */
    public static final int RING_LINES = 40;
    private static final Set<String> TERMINAL = Set.of(WorkerProtocol.RESULT, WorkerProtocol.ERROR,
            WorkerProtocol.CANCELLED);

    /** Receives a worker's messages and its end. */
    public interface Listener {
        /** One protocol line from the worker (progress, partial results, and finally the terminal one). */
        void message(JsonNode message);

        /** Once, after the process exited and its output was read to the end. */
        void exited(WorkerExit exit);
    }

    private final Process process;
    private final Path workDir;
    private final Path logFile;
    private final Listener listener;
    private final Writer stdin;
    private final Writer log;
    private final ArrayDeque<String> ring = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();
    private volatile double startupSeconds = Double.NaN;
    private volatile JsonNode terminal;
    private volatile boolean cancelRequested;
    private volatile boolean forced;
    private boolean logClosed;

    private WorkerProcess(Process process, Path workDir, Path logFile, Listener listener) throws IOException {
        this.process = process;
        this.workDir = workDir;
        this.logFile = logFile;
        this.listener = listener;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Starts {@code command} in {@code workDir} (where the JVM's crash logs land), writes {@code header}
     * as the log's first line and {@code requestLine} to the worker's stdin.
     */
    static WorkerProcess start(List<String> command, Path workDir, Path logFile, String header, String requestLine,
                               Listener listener) throws IOException {
        Files.createDirectories(workDir);
        // The window's own working folder, so that anything found relative to it (the bundled sample data)
        // is found the same way; crash logs still go to workDir (-XX:ErrorFile).
        ProcessBuilder pb = new ProcessBuilder(command);
        // Sleeping rather than spinning OpenMP threads: two DL4J JVMs share the cores.
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        WorkerProcess w = new WorkerProcess(p, workDir, logFile, listener);
        w.logLine(header);
        w.logLine("worker: " + String.join(" ", command));
        Thread out = w.reader(p.getInputStream(), true, "lathe-worker-out-" + p.pid());
        Thread err = w.reader(p.getErrorStream(), false, "lathe-worker-err-" + p.pid());
        w.send(requestLine);
        Thread waiter = new Thread(() -> w.awaitExit(out, err), "lathe-worker-wait-" + p.pid());
        waiter.setDaemon(true);
        waiter.start();
        return w;
    }

    private Thread reader(InputStream stream, boolean protocol, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    JsonNode n = protocol ? WorkerProtocol.message(line) : null;
                    if (n == null) {
                        logLine(line);
                    } else {
                        onMessage(n);
                    }
                }
            } catch (IOException e) {
                logLine("worker: reading its " + (protocol ? "output" : "log") + " failed: " + e.getMessage());
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void onMessage(JsonNode n) {
        if (Double.isNaN(startupSeconds)) {
            startupSeconds = (System.nanoTime() - startNanos) / 1e9;
        }
        if (TERMINAL.contains(n.path("type").asText())) {
            terminal = n;
        }
        listener.message(n);
    }

    private void awaitExit(Thread out, Thread err) {
        int code;
        try {
            code = process.waitFor();
            out.join(TimeUnit.SECONDS.toMillis(10));
            err.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            code = -1;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        logLine(String.format(java.util.Locale.ROOT, "worker: exited with code %d after %.1f s", code, seconds));
        List<String> tail = lastLines();
        closeLog();
        listener.exited(new WorkerExit(code, terminal, cancelRequested, forced, tail, logFile,
                WorkerExit.findCrashLog(workDir, process.pid()), WorkerExit.logSaysOutOfMemory(logFile, tail),
                startupSeconds, seconds));
    }

    /** Writes one line to the worker's stdin; a worker that is already gone is noted in the log. */
    public void send(String line) {
        synchronized (stdin) {
            try {
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                logLine("worker: could not send " + WorkerJson.abbreviate(line) + " (" + e.getMessage()
                        + "): it has ended");
            }
        }
    }

    /** Asks the worker to stop at its next step, and kills it if it has not exited after {@code grace}. */
    public void cancel(Duration grace) {
        cancelRequested = true;
        send(WorkerProtocol.bare(WorkerProtocol.CANCEL));
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (process.isAlive()) {
                logLine("worker: still running " + grace.toSeconds() + " s after the cancel; killing it");
                forced = true;
                process.destroyForcibly();
            }
        });
    }

    /** Kills the worker at once (SIGKILL); it is reported as died unless a cancel was asked for first. */
    public void kill() {
        process.destroyForcibly();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Seconds from the start until the worker's first protocol line (NaN before it). */
    public double startupSeconds() {
        return startupSeconds;
    }

    /** The worker's own folder: its log and crash logs land here. */
    public Path workDir() {
        return workDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the worker's log, oldest first. */
    public List<String> lastLines() {
        synchronized (ring) {
            return List.copyOf(new ArrayList<>(ring));
        }
    }

    private void logLine(String line) {
        synchronized (ring) {
            ring.addLast(line);
            while (ring.size() > RING_LINES) {
                ring.removeFirst();
            }
        }
        synchronized (log) {
            if (logClosed) {
                return;
            }
            try {
                log.write(line);
                log.write('\n');
                log.flush();
            } catch (IOException e) {
                // The ring still has the line; the file is a copy, and a full disk must not stop the job.
                System.err.println("lathe: could not write the worker log " + logFile + ": " + e.getMessage());
            }
        }
    }

    private void closeLog() {
        synchronized (log) {
            logClosed = true;
            try {
                log.close();
            } catch (IOException e) {
                System.err.println("lathe: could not close the worker log " + logFile + ": " + e.getMessage());
            }
        }
    }
}
