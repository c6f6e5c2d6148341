package io.lathe.ui.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * This process's memory as the soak reports it (JVM heap, ND4J's native arrays, resident set size
 * from {@code /proc/self/status}) and the JVM crash logs ({@code hs_err_pid*.log}) in the folders a JVM writes
 * them to. Thread-safe.
 */
final class ProcessFigures {
    private ProcessFigures() {
    }

    /**
     * Memory at one moment, in MB: JVM heap in use and committed, native memory held by ND4J's arrays
     * (JavaCPP's count), resident set size now and at its peak.
     */
    record Memory(double heapMb, double heapCommittedMb, double nativeMb, double rssMb, double peakRssMb) {
    }

    /** Memory now (RSS NaN where /proc is not available). */
    static Memory memory() {
        Runtime rt = Runtime.getRuntime();
        return new Memory((rt.totalMemory() - rt.freeMemory()) / 1e6, rt.totalMemory() / 1e6,
                io.lathe.engine.Engine.nativeBytes() / 1e6, statusKb("VmRSS") / 1e3, statusKb("VmHWM") / 1e3);
    }

    /**
     * Memory after a full collection and a short pause (ND4J frees an array's native memory only once the
     * collector has found the array unreachable): what of the growth a collection gives back. Causes a
     * pause; for the end of the soak only.
     */
    static Memory afterCollection() throws InterruptedException {
        System.gc();
        Thread.sleep(2000);
        return memory();
    }

    private static double statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Double.parseDouble(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
            return Double.NaN;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The crash logs now in the working folder and the temporary folder (where a JVM writes them). */
    static Set<String> crashLogs() {
        Set<String> out = new TreeSet<>();
        for (Path dir : List.of(Path.of("").toAbsolutePath(), Path.of(System.getProperty("java.io.tmpdir")))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("hs_err_pid") && n.endsWith(".log"))
                        .forEach(n -> out.add(dir.resolve(n).toString()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + dir + " for JVM crash logs: " + e.getMessage(), e);
            }
        }
        return out;
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : v;
    }
}
