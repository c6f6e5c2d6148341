package io.lathe.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts worker JVMs from the window's own Java and class path: main class {@code io.lathe.Main},
 * hidden subcommand {@code worker}, memory limits from the machine ({@link WorkerLimits}), crash logs
 * kept in the worker's working folder (no core dumps), out-of-memory ending the JVM at once, and, where
 * {@code /usr/bin/nice} exists, a lower CPU priority so the window's interactive jobs get the cores
 * first. The window's {@code lathe.*} settings and engine switches are passed on. Immutable.
 */
public final class WorkerLauncher {
    /** System property: "false" runs long jobs in the window's own engine thread instead. */
    public static final String ENABLED_PROPERTY = "lathe.worker";
    /** The priority decrease given to workers ({@code nice -n}). */
    public static final int NICENESS = 10;
    static final String MAIN_CLASS = "io.lathe.Main";
    private static final Path NICE = Path.of("/usr/bin/nice");
    private static final List<String> PASSED_PREFIXES = List.of("lathe.", "org.eclipse.deeplearning4j.",
            "org.bytedeco.javacpp.platform", "org.slf4j.simpleLogger.");
    private final WorkerLimits limits;
    private final List<String> extraJvmOptions;
    private final boolean lowerPriority;

    /**
     * @param limits          memory limits of each worker
     * @param extraJvmOptions further JVM options (tests use them for a quicker start)
     * @param lowerPriority   start workers under {@code nice} when it exists
     */
    public WorkerLauncher(WorkerLimits limits, List<String> extraJvmOptions, boolean lowerPriority) {
        this.limits = limits;
        this.extraJvmOptions = List.copyOf(extraJvmOptions);
        this.lowerPriority = lowerPriority;
    }

    /** Workers as the window starts them: this machine's limits, lower priority. */
    public static WorkerLauncher forThisMachine() {
        return new WorkerLauncher(WorkerLimits.forThisMachine(), List.of(), true);
    }

    /** False when {@value #ENABLED_PROPERTY} is "false": long jobs then run in the window's process. */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());
    }

    public WorkerLimits limits() {
        return limits;
    }

    /** The command line of a worker whose crash logs go to {@code workDir}. */
    public List<String> command(Path workDir) {
        List<String> cmd = new ArrayList<>();
        boolean nice = lowerPriority && Files.isExecutable(NICE);
        if (nice) {
            cmd.addAll(List.of(NICE.toString(), "-n", String.valueOf(NICENESS)));
        }
        cmd.add(javaCommand());
        cmd.addAll(limits.jvmOptions());
        cmd.add("-XX:ErrorFile=" + workDir.toAbsolutePath().resolve("hs_err_pid%p.log"));
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-Dfile.encoding=UTF-8");
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String key = e.getKey().toString();
            if (PASSED_PREFIXES.stream().anyMatch(key::startsWith) && !key.startsWith(ENABLED_PROPERTY + ".")
                    && !key.equals(ENABLED_PROPERTY)) {
                cmd.add("-D" + key + "=" + e.getValue());
            }
        }
        cmd.addAll(extraJvmOptions);
        cmd.add("-cp");
        cmd.add(absoluteClassPath(System.getProperty("java.class.path")));
        cmd.add(MAIN_CLASS);
        cmd.add("worker");
        return cmd;
    }

    /**
     * {@code classPath} with every entry made absolute: {@code java -jar target/lathe.jar} gives the
     * relative "target/lathe.jar", which a worker started in another folder would not find.
     */
    static String absoluteClassPath(String classPath) {
        List<String> out = new ArrayList<>();
        for (String entry : classPath.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
            if (!entry.isEmpty()) {
                out.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    /** Whether workers start under {@code nice} here. */
    public boolean niced() {
        return lowerPriority && Files.isExecutable(NICE);
    }

    /**
     * Starts a worker for {@code requestLine} in {@code workDir}, its log in {@code workDir/worker.log};
     * the log's first line states the limits and priority.
     */
    public WorkerProcess start(String requestLine, Path workDir, WorkerProcess.Listener listener) throws IOException {
        Path dir = workDir.toAbsolutePath();
        String header = "lathe worker: " + limits.describe() + (niced() ? ", nice " + NICENESS : ", normal priority");
        return WorkerProcess.start(command(dir), dir, dir.resolve("worker.log"), header, requestLine, listener);
    }

    /**
     * Why workers cannot start here (a runtime without a {@code java} executable, as jpackage's stripped
     * runtimes are), or null when they can.
     */
    public static String problem() {
        Path java = Path.of(javaCommand());
        return Files.isExecutable(java) ? null : "this runtime has no java executable (" + java + ")";
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .filter(c -> Path.of(c).getFileName().toString().startsWith("java"))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
