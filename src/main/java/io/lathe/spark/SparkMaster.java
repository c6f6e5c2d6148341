package io.lathe.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark master as the user gives it: {@code local[N]} (N threads in this process), {@code spark://HOST:PORT}
 * (a standalone cluster), {@code yarn}, {@code k8s://…}, or {@link #SUBMIT} for whatever {@code spark-submit}
 * set. {@code local[N]} becomes {@code local[N,4]} so that a failed task is retried as on a cluster (plain
 * {@code local[N]} gives up after one failure). Immutable.
 *
 * @param url the master URL as given (or {@link #SUBMIT})
 */
public record SparkMaster(String url) {
    /** The master spark-submit chose (its {@code spark.master} property). */
    public static final String SUBMIT = "submit";
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[1-9]\\d*)(?:,([1-9]\\d*))?])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://([^:/,\\s]+):(\\d{1,5})");
    private static final int RETRIES = 4;

    /** Checks the form of {@code text}, saying in one line what a master looks like when it is wrong. */
    public static SparkMaster parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty() || s.equals(SUBMIT)) {
            return new SparkMaster(SUBMIT);
        }
        if (LOCAL.matcher(s).matches() || s.equals("yarn") || s.startsWith("k8s://") && s.length() > 6) {
            return new SparkMaster(s);
        }
        if (s.startsWith("spark://")) {
            for (String hostPort : s.substring(8).split(",")) {
                if (!STANDALONE.matcher("spark://" + hostPort).matches()) {
                    throw new IllegalArgumentException("Spark master '" + s + "' needs HOST:PORT after spark:// "
                            + "(for example spark://127.0.0.1:7077)");
                }
            }
            return new SparkMaster(s);
        }
        throw new IllegalArgumentException("'" + s + "' is not a Spark master: use local[N], spark://HOST:PORT, yarn "
                + "or k8s://URL (or --spark alone under spark-submit)");
    }

    /** True when the work runs in this process ({@code local[...]}). */
    public boolean isLocal() {
        return url.startsWith("local");
    }

    /** True when spark-submit chose the master. */
    public boolean isSubmit() {
        return url.equals(SUBMIT);
    }

    /** The URL handed to Spark: {@code local[N]} with retries, spark-submit's own master, or as given. */
    public String effectiveUrl() {
        if (isSubmit()) {
            String m = System.getProperty("spark.master");
            if (m == null || m.isBlank()) {
                throw new IllegalArgumentException("--spark without a master only works under spark-submit "
                        + "(which sets spark.master): give one, e.g. --spark local[2] or --spark spark://HOST:7077");
            }
            return m;
        }
        Matcher m = LOCAL.matcher(url);
        if (m.matches() && m.group(2) == null) {
            return "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + RETRIES + "]";
        }
        return url;
    }

    /**
     * For a standalone master, checks that something listens at every HOST:PORT within {@code timeoutMs}
     * (Spark itself would retry for a minute before giving up); other masters are not checked.
     */
    public void checkReachable(int timeoutMs) {
        if (!url.startsWith("spark://")) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (String hostPort : url.substring(8).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), timeoutMs);
                return;
            } catch (IOException | IllegalArgumentException e) {
                failures.add(hostPort + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        throw new IllegalArgumentException("cannot reach the Spark master at " + String.join(", ", failures)
                + ": start it (see the README, 'Running on Apache Spark') or check the URL");
    }
}
