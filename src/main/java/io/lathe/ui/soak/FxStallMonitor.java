package io.lathe.ui.soak;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures how long the FX thread goes without answering, two ways: the gap between consecutive pulses
 * (an {@link AnimationTimer} asks for a pulse every frame, so a gap well over a frame means the thread
 * was busy) and the queueing delay of a {@code Platform.runLater} probe sent every
 * {@value #PROBE_MILLIS} ms. Each stall is recorded with the soak action that was running; the
 * start-up's stalls are kept apart ({@link #startSession}). Thread-safe.
 */
final class FxStallMonitor {
    /** A gap over this many milliseconds counts as a stall. */
    static final double STALL_MS = 100;
    static final long PROBE_MILLIS = 100;
    private static final int KEEP = 8;

    private final AnimationTimer pulses = new AnimationTimer() {
        @Override
        public void handle(long now) {
            pulse(System.nanoTime());
        }
    };
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-fx-probe");
        t.setDaemon(true);
        return t;
    });
    private final List<Stall> longest = new ArrayList<>();
    private volatile String action = "start-up";
    private long lastPulse;
    private long pulseCount;
    private double maxPulseGapMs;
    private long pulseStalls;
    private double maxProbeDelayMs;
    private long probeStalls;
    private double startupMs = Double.NaN;

    /** One stall: how long and what the soak was doing. */
    record Stall(double ms, String how, String during) {
    }

    /** Starts both measurements. Call on the FX thread. */
    void start() {
        pulses.start();
        probe.scheduleAtFixedRate(() -> {
            long sent = System.nanoTime();
            Platform.runLater(() -> probed((System.nanoTime() - sent) / 1e6));
        }, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops both measurements. Call on the FX thread. */
    void stop() {
        pulses.stop();
        probe.shutdownNow();
    }

    /**
     * Ends the start-up (building the window and opening the first model, before anything is
     * interactive): its longest stall is kept apart, and the session's figures start from zero.
     */
    synchronized void startSession() {
        startupMs = maxStallMs();
        maxPulseGapMs = 0;
        pulseStalls = 0;
        maxProbeDelayMs = 0;
        probeStalls = 0;
        pulseCount = 0;
        longest.clear();
    }

    /** Names the soak action now running, so that stalls are attributed to it. */
    void during(String what) {
        action = what;
    }

    private synchronized void pulse(long now) {
        if (lastPulse != 0) {
            double gap = (now - lastPulse) / 1e6;
            maxPulseGapMs = Math.max(maxPulseGapMs, gap);
            if (gap > STALL_MS) {
                pulseStalls++;
                keep(new Stall(gap, "pulse gap", action));
            }
        }
        lastPulse = now;
        pulseCount++;
    }

    private synchronized void probed(double delayMs) {
        maxProbeDelayMs = Math.max(maxProbeDelayMs, delayMs);
        if (delayMs > STALL_MS) {
            probeStalls++;
            keep(new Stall(delayMs, "runLater delay", action));
        }
    }

    private void keep(Stall s) {
        longest.add(s);
        longest.sort(Comparator.comparingDouble(Stall::ms).reversed());
        if (longest.size() > KEEP) {
            longest.remove(longest.size() - 1);
        }
    }

    /** The longest stall either way, in milliseconds. */
    synchronized double maxStallMs() {
        return Math.max(maxPulseGapMs, maxProbeDelayMs);
    }

    /** The figures for the report. */
    synchronized Map<String, Object> figures() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxFxStallMs", round(maxStallMs()));
        out.put("fxStallsOver100ms", pulseStalls);
        out.put("maxPulseGapMs", round(maxPulseGapMs));
        out.put("pulses", pulseCount);
        out.put("maxRunLaterDelayMs", round(maxProbeDelayMs));
        out.put("runLaterDelaysOver100ms", probeStalls);
        List<Map<String, Object>> top = new ArrayList<>();
        for (Stall s : longest) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ms", round(s.ms()));
            m.put("measuredBy", s.how());
            m.put("during", s.during());
            top.add(m);
        }
        out.put("longestStalls", top);
        out.put("startupMaxFxStallMs", round(startupMs));
        return out;
    }

    private static double round(double v) {
        return ProcessFigures.round(v);
    }
}
