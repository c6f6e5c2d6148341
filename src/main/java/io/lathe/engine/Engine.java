package io.lathe.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Properties;

/**
 * The DL4J/ND4J engine settings Lathe applies before the first network is built: the oneDNN native
 * build, DL4J's layer helpers switched on (they are off by default in M2.1), and the
 * {@code org.nd4j.nativeblas.Nd4jCpu} shim that lets the oneDNN helpers load. Call
 * {@link #configure()} first thing in every entry point (app, CLI, tests).
 */
public final class Engine {
    /** DL4J M2.1 reads this property whenever it creates a layer helper; "true" disables them. */
    public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    /** JavaCPP picks the native build with this suffix first ("-onednn" is the oneDNN build). */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private static volatile boolean configured;

    private Engine() {
    }

    /** Applies the tuned settings once; later calls do nothing. Thread-safe. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
        if (System.getProperty(PLATFORM_EXTENSION) == null) {
            System.setProperty(PLATFORM_EXTENSION, "-onednn");
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        configured = true;
    }

    /** What the running engine is: backend, threads, whether oneDNN helpers are active. */
    public static EngineStatus status() {
        configure();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        boolean oneDnn;
        try {
            oneDnn = org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
        } catch (Throwable t) {
            oneDnn = false;
        }
        boolean helpers = !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE, "true"));
        Object threads = env.getOrDefault("omp.threads", Runtime.getRuntime().availableProcessors());
        return new EngineStatus(String.valueOf(env.getProperty("backend")), String.valueOf(threads),
                oneDnn, helpers);
    }

    /**
     * Bytes of native memory JavaCPP has allocated for ND4J and not freed yet (off-heap arrays, workspaces);
     * part of the process's resident set, not of the JVM heap. Thread-safe.
     */
    public static long nativeBytes() {
        return org.bytedeco.javacpp.Pointer.totalBytes();
    }

    /**
     * Hands memory the C allocator holds but no longer uses back to the system ({@code malloc_trim} on
     * Linux; nothing elsewhere). ND4J frees an array's buffer into the allocator, which keeps it; after
     * large caches are released the process's resident size stays high until this is called. Safe on any
     * thread; takes milliseconds to a fraction of a second.
     *
     * @return false where the call is not available (the memory then stays with the allocator)
     */
    public static boolean trimNativeMemory() {
        try {
            java.lang.reflect.Method trim = org.bytedeco.javacpp.Pointer.class.getDeclaredMethod("trimMemory");
            trim.setAccessible(true);
            Object r = trim.invoke(null);
            return !(r instanceof Boolean b) || b;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // JavaCPP keeps this call private; where it is missing nothing is trimmed, which only costs memory
            return false;
        }
    }

    /** A snapshot of the engine configuration for the status bar, reports and benchmarks. */
    public record EngineStatus(String backend, String threads, boolean oneDnn, boolean helpersEnabled) {
        /** True when both the oneDNN build and DL4J's helpers are active. */
        public boolean tuned() {
            return oneDnn && helpersEnabled;
        }

        @Override
        public String toString() {
            return backend + ", " + threads + " threads, oneDNN " + (oneDnn ? "on" : "off")
                    + ", layer helpers " + (helpersEnabled ? "on" : "off");
        }
    }
}
