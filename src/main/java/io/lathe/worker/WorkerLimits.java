package io.lathe.worker;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * A worker's memory limits, set from the machine's memory: heap {@value #HEAP_SHARE_PERCENT}% of it
 * (between 512 MB and 8 GB), off-heap (JavaCPP's {@code maxbytes}, where ND4J's arrays live)
 * {@value #OFF_HEAP_SHARE_PERCENT}% (between 1 and 16 GB), and the process as a whole
 * ({@code maxphysicalbytes}) both plus 512 MB for the JVM itself. Immutable.
 *
 * @param heapBytes     {@code -Xmx}
 * @param offHeapBytes  {@code -Dorg.bytedeco.javacpp.maxbytes}
 * @param physicalBytes {@code -Dorg.bytedeco.javacpp.maxphysicalbytes}
 * @param machineBytes  the machine's memory they were derived from
 */
public record WorkerLimits(long heapBytes, long offHeapBytes, long physicalBytes, long machineBytes) {
    static final int HEAP_SHARE_PERCENT = 25;
    static final int OFF_HEAP_SHARE_PERCENT = 40;
    private static final long MB = 1L << 20;
    private static final long GB = 1L << 30;

    /** The limits for a machine with {@code machineBytes} of memory. */
    public static WorkerLimits forMachine(long machineBytes) {
        long heap = clamp(machineBytes * HEAP_SHARE_PERCENT / 100, 512 * MB, 8 * GB);
        long offHeap = clamp(machineBytes * OFF_HEAP_SHARE_PERCENT / 100, GB, 16 * GB);
        return new WorkerLimits(heap, offHeap, heap + offHeap + 512 * MB, machineBytes);
    }

    /** The limits for this machine (its total memory as the operating system reports it). */
    public static WorkerLimits forThisMachine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long total = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 4 * GB;
        return forMachine(total);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The JVM options that set these limits. */
    public List<String> jvmOptions() {
        return List.of("-Xmx" + heapBytes / MB + "m", "-Dorg.bytedeco.javacpp.maxbytes=" + offHeapBytes / MB + "M",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + physicalBytes / MB + "M");
    }

    /** One line for the worker's log, e.g. "heap 5.9 GB, off-heap 9.4 GB, process 15.8 GB of 23.5 GB". */
    public String describe() {
        return String.format(Locale.ROOT, "heap %s, off-heap %s, process %s of the machine's %s", gb(heapBytes),
                gb(offHeapBytes), gb(physicalBytes), gb(machineBytes));
    }

    /** What the running JVM was given: its heap maximum and JavaCPP's limits as set. */
    public static String describeRunning() {
        return "heap max " + gb(Runtime.getRuntime().maxMemory()) + ", javacpp maxbytes "
                + System.getProperty("org.bytedeco.javacpp.maxbytes", "default") + ", maxphysicalbytes "
                + System.getProperty("org.bytedeco.javacpp.maxphysicalbytes", "default") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores";
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) GB);
    }
}
