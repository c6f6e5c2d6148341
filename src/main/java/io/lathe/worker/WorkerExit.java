package io.lathe.worker;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How a worker process ended: its exit code, the terminal protocol line it sent (null when it died
 * before sending one), and what the window needs to explain a death: the last log lines, the log file,
 * a JVM crash log ({@code hs_err_pid*.log}) it left in its working directory, and whether its log says
 * it ran out of memory.
 *
 * @param exitCode        the process's exit code (128 + n when signal n ended it)
 * @param terminal        the result/error/cancelled line, or null
 * @param cancelRequested the window had asked it to stop
 * @param forced          the window killed it after the cancel's grace period
 * @param lastLines       the last lines of its log, oldest first
 * @param logFile         the whole log
 * @param crashLog        the JVM's crash log, if one appeared
 * @param outOfMemory     the log mentions running out of heap or native memory
 * @param startupSeconds  seconds until its first protocol line (NaN if none came)
 * @param seconds         seconds it ran
 */
public record WorkerExit(int exitCode, JsonNode terminal, boolean cancelRequested, boolean forced,
                         List<String> lastLines, Path logFile, Optional<Path> crashLog, boolean outOfMemory,
                         double startupSeconds, double seconds) {
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 4, "SIGILL", 6, "SIGABRT",
            7, "SIGBUS", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");
    private static final Pattern OUT_OF_MEMORY = Pattern.compile(
            "java\\.lang\\.OutOfMemoryError|Can't allocate \\[HOST\\] memory|Physical memory usage is too high"
                    + "|Cannot allocate memory|insufficient memory for the Java Runtime");

    /** The terminal line's type ("result", "error", "cancelled"), or null when none came. */
    public String terminalType() {
        return terminal == null ? null : terminal.path("type").asText();
    }

    /** True when the process ended without saying how (crash, out of memory, killed). */
    public boolean died() {
        return terminal == null;
    }

    /**
     * What ended a worker that died, in words: the signal or exit code, "out of memory" when its log
     * says so, a native crash when it left a crash log, and that log's path.
     */
    public String cause() {
        StringBuilder b = new StringBuilder();
        if (exitCode > 128 && exitCode < 160) {
            int sig = exitCode - 128;
            b.append("killed by signal ").append(sig).append(" (").append(SIGNALS.getOrDefault(sig, "signal " + sig))
                    .append(")");
        } else {
            b.append("exited with code ").append(exitCode);
        }
        if (outOfMemory) {
            b.append(", out of memory");
        }
        if (crashLog.isPresent()) {
            b.append(", a native crash; the JVM's crash log is ").append(crashLog.get());
        }
        if (forced) {
            b.append(", after not stopping within the cancel's grace period");
        }
        return b.toString();
    }

    /** The crash log of process {@code pid} in {@code dir}, or any {@code hs_err_pid*.log} there. */
    static Optional<Path> findCrashLog(Path dir, long pid) {
        Path own = dir.resolve("hs_err_pid" + pid + ".log");
        if (Files.isRegularFile(own)) {
            return Optional.of(own);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("hs_err_pid\\d+\\.log")).findFirst();
        } catch (IOException e) {
            // An unlistable working folder holds no crash log the window could point to; say why.
            System.err.println("lathe: could not look for a crash log in " + dir + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** True when the log file (or, if it cannot be read, the last lines) mentions running out of memory. */
    static boolean logSaysOutOfMemory(Path logFile, List<String> tail) {
        try (Stream<String> lines = Files.lines(logFile)) {
            return lines.anyMatch(l -> OUT_OF_MEMORY.matcher(l).find());
        } catch (IOException | UncheckedIOException e) {
            return tail.stream().anyMatch(l -> OUT_OF_MEMORY.matcher(l).find());
        }
    }
}
