package io.lathe.ui.soak;

import io.lathe.ui.ErrorReporter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every failure seen during the soak: what the window reported (its error dialog and its
 * uncaught-exception handler), exceptions thrown by a scripted step, and uncaught exceptions before
 * the window's own handler is installed. All are unexpected: the script does nothing that should
 * fail. Thread-safe.
 */
final class FailureLog implements ErrorReporter, Thread.UncaughtExceptionHandler {
    private static final int KEEP = 20;
    private final Map<String, Integer> distinct = new LinkedHashMap<>();
    private int count;

    @Override
    public synchronized void report(String action, Throwable cause) {
        count++;
        String key = action + ": " + describe(cause);
        if (distinct.containsKey(key) || distinct.size() < KEEP) {
            distinct.merge(key, 1, Integer::sum);
        }
    }

    @Override
    public void uncaughtException(Thread thread, Throwable t) {
        t.printStackTrace();
        report("uncaught on " + thread.getName(), t);
    }

    /** A scripted step threw: counted, and the stack trace goes to stderr. */
    void stepFailed(String kind, Throwable t) {
        System.err.println("soak: step " + kind + " failed:");
        t.printStackTrace();
        report("soak step " + kind, t);
    }

    synchronized int count() {
        return count;
    }

    /** The distinct failures (at most {@value #KEEP}), each with how often it happened. */
    synchronized List<String> distinct() {
        List<String> out = new ArrayList<>();
        distinct.forEach((k, n) -> out.add(n > 1 ? k + " (" + n + "×)" : k));
        return out;
    }

    /** The exception's class, message, causes and where it was thrown, in one line. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage().lines().findFirst().orElse(""));
            }
            if (c.getCause() == null && c.getStackTrace().length > 0) {
                sb.append(" at ").append(c.getStackTrace()[0]);
            }
        }
        return sb.toString();
    }
}
