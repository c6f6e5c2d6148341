package io.lathe.ui.soak;

import io.lathe.ui.SoakWindow;
import javafx.application.Platform;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench soak}: opens the real workbench window in this process, headless (Monocle's headless
 * glass, software rendering), and drives it through a scripted random session for a while (see
 * {@link SoakScript}), measuring crashes, unexpected exceptions, FX-thread stalls, memory and jobs.
 * The CLI reaches it by reflection ({@link #run}), so that the engine packages stay free of JavaFX.
 * Must be the first thing in the process to start the JavaFX toolkit; stops it at the end.
 */
public final class SoakBench {
    /** The system properties the headless UI tests use; set before the toolkit starts. */
    private static final String[][] HEADLESS = {{"glass.platform", "Monocle"}, {"monocle.platform", "Headless"},
            {"prism.order", "sw"}, {"java.awt.headless", "true"}, {"headless.geometry", "1600x1000-32"}};
    private static final String MONOCLE = "com.sun.glass.ui.monocle.MonoclePlatformFactory";
    private static final double WARMUP_SECONDS = 60;
    private static final long PROGRESS_SECONDS = 30;

    private SoakBench() {
    }

    /**
     * Runs the soak for {@code minutes} with the random choices seeded by {@code seed}, writing progress
     * lines to {@code log}, and returns the report (plain values, lists and maps; key {@code passed}
     * is false when there was a crash or an unexpected exception).
     *
     * @throws IOException           when the bundled samples or the temporary folder are not usable
     * @throws IllegalStateException when Monocle is not on the class path or the window does not start
     */
    public static Map<String, Object> run(double minutes, long seed, PrintStream log) throws IOException,
            InterruptedException {
        if (!(minutes > 0)) {
            throw new IllegalArgumentException("--minutes must be more than 0");
        }
        try {
            Class.forName(MONOCLE, false, SoakBench.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the soak needs Monocle (one.jpro:openjfx-monocle) on the class path, "
                    + "in target/lib after mvn package", e);
        }
        SoakFiles files = SoakFiles.prepare();
        for (String[] p : HEADLESS) {
            System.setProperty(p[0], p[1]);
        }
        System.setProperty(io.lathe.session.UserSettings.FOLDER_PROPERTY, files.config().toString());
        FailureLog failures = new FailureLog();
        Thread.setDefaultUncaughtExceptionHandler(failures);
        Set<String> crashLogsBefore = ProcessFigures.crashLogs();
        ProcessFigures.Memory start = ProcessFigures.memory();
        startToolkit();
        FxStallMonitor stalls = new FxStallMonitor();
        JobCounter jobs = new JobCounter();
        SoakFiles.SoakModel first = files.models().get(0);
        long t0 = System.nanoTime();
        SoakWindow window = Fx.call(() -> {
            stalls.start();
            return SoakWindow.open(first.file(), first.data(), first.preprocess(), failures, jobs);
        });
        SoakScript script = new SoakScript(window, files, new Random(seed), stalls, failures, jobs);
        script.awaitFirstModel("Open " + first.name());
        stalls.startSession();
        log.printf("soak: window open on %s after %.1f s; running %.1f min, seed %d%n", first.name(),
                (System.nanoTime() - t0) / 1e9, minutes, seed);
        files.notes().forEach(n -> log.println("soak: note: " + n));

        long begin = System.nanoTime();
        long end = begin + (long) (minutes * 60e9);
        long warmAt = begin + (long) (Math.min(WARMUP_SECONDS, 0.2 * minutes * 60) * 1e9);
        ProcessFigures.Memory[] warm = new ProcessFigures.Memory[1];
        long[] nextLine = {begin + PROGRESS_SECONDS * 1_000_000_000L};
        script.run(end, () -> {
            long now = System.nanoTime();
            if (warm[0] == null && now >= warmAt) {
                warm[0] = ProcessFigures.memory();
            }
            if (now >= nextLine[0]) {
                nextLine[0] += PROGRESS_SECONDS * 1_000_000_000L;
                ProcessFigures.Memory m = ProcessFigures.memory();
                log.printf("soak: %4.0f s, %s actions, %d failures, longest FX stall %.0f ms, RSS %.0f MB, heap %.0f "
                                + "of %.0f MB, ND4J native %.0f MB%n", (now - begin) / 1e9, script.figures().get("actionsTotal"),
                        failures.count(), stalls.maxStallMs(), m.rssMb(), m.heapMb(), m.heapCommittedMb(), m.nativeMb());
            }
        });
        double seconds = (System.nanoTime() - begin) / 1e9;
        ProcessFigures.Memory last = ProcessFigures.memory();
        script.finish();
        ProcessFigures.Memory collected = ProcessFigures.afterCollection();
        Fx.run(() -> {
            stalls.stop();
            window.close();
        });
        Platform.exit();
        List<String> newCrashLogs = new ArrayList<>(ProcessFigures.crashLogs());
        newCrashLogs.removeAll(crashLogsBefore);
        List<String> notes = new ArrayList<>(files.notes());
        try {
            files.delete();
        } catch (IOException e) {
            notes.add("could not delete the soak's temporary folder: " + e.getMessage());
        }
        Map<String, Object> out = report(seed, minutes, seconds, newCrashLogs, failures, stalls, jobs, script, start,
                warm[0] == null ? last : warm[0], last, notes);
        out.put("rssMbEndAfterGc", ProcessFigures.round(collected.rssMb()));
        out.put("heapMbEndAfterGc", ProcessFigures.round(collected.heapMb()));
        io.lathe.engine.Engine.trimNativeMemory();
        out.put("rssMbEndAfterTrim", ProcessFigures.round(ProcessFigures.memory().rssMb()));
        return out;
    }

    private static void startToolkit() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        try {
            Platform.startup(started::countDown);
        } catch (IllegalStateException alreadyRunning) {
            Platform.runLater(started::countDown);
        }
        if (!started.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the JavaFX toolkit did not start in 60 s");
        }
        Platform.setImplicitExit(false);
    }

    private static Map<String, Object> report(long seed, double minutes, double seconds, List<String> crashLogs,
                                              FailureLog failures, FxStallMonitor stalls, JobCounter jobs,
                                              SoakScript script, ProcessFigures.Memory start,
                                              ProcessFigures.Memory warm, ProcessFigures.Memory end,
                                              List<String> notes) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", seed);
        out.put("minutes", minutes);
        out.put("secondsRun", ProcessFigures.round(seconds));
        out.put("crashes", crashLogs.size());
        out.put("crashLogs", crashLogs);
        out.put("unexpectedExceptions", failures.count());
        out.put("exceptions", failures.distinct());
        out.putAll(stalls.figures());
        out.put("rssMbStart", ProcessFigures.round(start.rssMb()));
        out.put("rssMbAfterWarmup", ProcessFigures.round(warm.rssMb()));
        out.put("rssMbEnd", ProcessFigures.round(end.rssMb()));
        out.put("rssGrowthAfterWarmupMb", ProcessFigures.round(end.rssMb() - warm.rssMb()));
        out.put("rssMbPeak", ProcessFigures.round(end.peakRssMb()));
        out.put("heapMbStart", ProcessFigures.round(start.heapMb()));
        out.put("heapMbAfterWarmup", ProcessFigures.round(warm.heapMb()));
        out.put("heapMbEnd", ProcessFigures.round(end.heapMb()));
        out.put("heapCommittedMbEnd", ProcessFigures.round(end.heapCommittedMb()));
        out.put("nd4jNativeMbAfterWarmup", ProcessFigures.round(warm.nativeMb()));
        out.put("nd4jNativeMbEnd", ProcessFigures.round(end.nativeMb()));
        out.put("warmupSeconds", ProcessFigures.round(Math.min(WARMUP_SECONDS, 0.2 * minutes * 60)));
        out.put("jobs", jobs.figures());
        out.putAll(script.figures());
        out.put("notes", notes);
        out.put("passed", crashLogs.isEmpty() && failures.count() == 0);
        return out;
    }
}
