package io.lathe.ui.soak;

import io.lathe.ui.SoakWindow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The scripted random session: first every kind of action once in a shuffled order, then actions drawn
 * by weight, with pauses between them as a user makes, until the deadline. Slider drags are several
 * small steps; sweeps, exports and opens may be cancelled at a random later moment. Runs on the driver
 * thread; each step goes to the FX thread through {@link Fx}. Not thread-safe.
 */
final class SoakScript {
    /** The kinds of action, with their weights in the random part of the session. */
    enum Kind {
        SELECT_LAYER(14), SELECT_GROUP(2), MULTI_SELECT(3), DRAG_LAYER_SLIDER(16), TYPE_TARGET(4), BITS(7),
        GRANULARITY(4), SHARE(2), DRAG_UNIFORM_SLIDER(4), DEFAULT_BITS(2), DEFAULT_GRANULARITY(1), UNDO(8), REDO(5),
        APPLY(5), TAB(4), BN_CALIBRATION(1), LATENCY(1), OPEN_MODEL(2), SWITCH_DATA(2), SWEEP(2), EXPORT(1),
        EXPORT_DIALOG(1), CANCEL_JOB(4), WAIT_IDLE(3);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    /** Seconds the script waits at most for a model or data folder to open (and its baseline). */
    private static final long OPEN_SECONDS = 240;
    private static final long IDLE_SECONDS = 30;
    private final SoakWindow w;
    private final SoakActions act;
    private final SoakFiles files;
    private final Random rnd;
    private final FxStallMonitor stalls;
    private final FailureLog failures;
    private final JobCounter jobs;
    private final Map<Kind, Integer> done = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> notApplicable = new EnumMap<>(Kind.class);
    private final List<Timed> later = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> opened = new java.util.TreeMap<>();
    private int modelIndex;
    private int timeouts;
    /** When the session ends ({@link System#nanoTime}); waits inside it end then too. */
    private long sessionEnd = Long.MAX_VALUE;

    private record Timed(long due, String what, Runnable step) {
    }

    SoakScript(SoakWindow w, SoakFiles files, Random rnd, FxStallMonitor stalls, FailureLog failures, JobCounter jobs) {
        this.w = w;
        this.act = new SoakActions(w, rnd);
        this.files = files;
        this.rnd = rnd;
        this.stalls = stalls;
        this.failures = failures;
        this.jobs = jobs;
    }

    /**
     * Runs actions until {@code endNanos} ({@link System#nanoTime}), calling {@code between} after each.
     * A step that throws is logged as a failure and the session goes on.
     */
    void run(long endNanos, Runnable between) {
        sessionEnd = endNanos;
        List<Kind> tour = new ArrayList<>(List.of(Kind.values()));
        Collections.shuffle(tour, rnd);
        Iterator<Kind> first = tour.iterator();
        while (System.nanoTime() < endNanos) {
            runDue(false);
            Kind k = first.hasNext() ? first.next() : draw();
            stalls.during(k.name());
            long t0 = System.nanoTime();
            try {
                boolean applied = perform(k);
                double took = (System.nanoTime() - t0) / 1e9;
                if (took > 15) {
                    notes.add(String.format(java.util.Locale.ROOT, "%s took %.0f s (waiting for the engine)", k, took));
                }
                (applied ? done : notApplicable).merge(k, 1, Integer::sum);
                int closed = Fx.call(act::closeErrorDialogs);
                if (closed > 0) {
                    notes.add(closed + " error dialog(s) closed after " + k);
                }
            } catch (SoakStepException e) {
                failures.stepFailed(k.name(), e.getCause() != null ? e.getCause() : e);
            }
            stalls.during("after " + k.name());
            between.run();
            Fx.sleep(80 + rnd.nextInt(620));
        }
        runDue(true);
        sessionEnd = Long.MAX_VALUE;
    }

    private Kind draw() {
        int total = 0;
        for (Kind k : Kind.values()) {
            total += k.weight;
        }
        int r = rnd.nextInt(total);
        for (Kind k : Kind.values()) {
            r -= k.weight;
            if (r < 0) {
                return k;
            }
        }
        throw new IllegalStateException("weights sum to " + total);
    }

    private boolean perform(Kind k) {
        return switch (k) {
            case SELECT_LAYER -> Fx.call(act::selectLayer);
            case SELECT_GROUP -> Fx.call(act::selectGroup);
            case MULTI_SELECT -> Fx.call(act::multiSelect);
            case DRAG_LAYER_SLIDER -> withLayer() && drag("#threshold-slider");
            case TYPE_TARGET -> withLayer() && Fx.call(act::typeTarget);
            case BITS -> withLayer() && Fx.call(act::bits);
            case GRANULARITY -> withLayer() && Fx.call(act::granularity);
            case SHARE -> withLayer() && Fx.call(act::share);
            case DRAG_UNIFORM_SLIDER -> drag("#uniform-sparsity");
            case DEFAULT_BITS -> Fx.call(act::defaultBits);
            case DEFAULT_GRANULARITY -> Fx.call(act::defaultGranularity);
            case UNDO -> repeat(act::undo);
            case REDO -> repeat(act::redo);
            case APPLY -> withLayer() && Fx.call(act::apply);
            case TAB -> Fx.call(act::tab);
            case BN_CALIBRATION -> Fx.call(act::toggleCalibration);
            case LATENCY -> Fx.call(act::measureLatency);
            case OPEN_MODEL -> openModel();
            case SWITCH_DATA -> switchData();
            case SWEEP -> sweep();
            case EXPORT -> export();
            case EXPORT_DIALOG -> exportDialog();
            case CANCEL_JOB -> Fx.call(act::cancelJob) != null;
            case WAIT_IDLE -> waitUntil(IDLE_SECONDS, () -> !Fx.call(act::busy), "the jobs to finish");
        };
    }

    private boolean withLayer() {
        return Fx.call(act::hasLayer) || (Fx.call(act::selectLayer) && Fx.call(act::hasLayer));
    }

    private boolean repeat(java.util.concurrent.Callable<Boolean> step) {
        boolean any = false;
        for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
            any |= Fx.call(step);
        }
        return any;
    }

    /** Drags a slider in 3 to 10 steps, 16 to 40 ms apart, then releases it. */
    private boolean drag(String slider) {
        double[] path = Fx.call(() -> act.dragPath(slider, 3 + rnd.nextInt(8)));
        if (path == null) {
            return false;
        }
        for (double v : path) {
            Fx.run(() -> act.dragTo(slider, v));
            Fx.sleep(16 + rnd.nextInt(25));
        }
        Fx.run(() -> act.release(slider));
        return true;
    }

    private boolean openModel() {
        List<SoakFiles.SoakModel> models = files.models();
        SoakFiles.SoakModel m = models.get((modelIndex + 1 + rnd.nextInt(models.size() - 1)) % models.size());
        Fx.run(() -> {
            if (m.data() == null) {
                w.open(m.file());
            } else {
                w.model().workspaces().openModel(m.file(), m.data(), m.preprocess());
            }
        });
        boolean ok = awaitOpen("Open " + m.name());
        String current = Fx.call(() -> w.model().workspace() == null ? "" : w.model().workspace().origin());
        for (int i = 0; i < models.size(); i++) {
            if (current.endsWith(models.get(i).name())) {
                modelIndex = i;
            }
        }
        if (ok && current.endsWith(m.name())) {
            opened.merge(m.name(), 1, Integer::sum);
        }
        return ok;
    }

    private boolean switchData() {
        SoakFiles.SoakModel m = files.models().get(modelIndex);
        List<Path> choices = m.data() == null ? files.fashionData() : files.cifarData();
        if (choices.size() < 2) {
            return false;
        }
        Path folder = choices.get(rnd.nextInt(choices.size()));
        String preprocess = m.preprocess();
        Fx.run(() -> w.model().workspaces().openData(folder, preprocess));
        return awaitOpen("Open data " + folder.getFileName());
    }

    /** Waits for the window's first model (the open job {@code title}) and its baseline; false on time-out. */
    boolean awaitFirstModel(String title) {
        return awaitOpen(title, 0, Long.MAX_VALUE);
    }

    /** Cancels whatever still runs (as the jobs area's Cancel buttons do) and waits for the engine to be idle. */
    void finish() {
        done.merge(Kind.CANCEL_JOB, Fx.call(act::cancelAll), Integer::sum);
        waitUntil(IDLE_SECONDS, () -> !Fx.call(act::busy), "the last jobs to stop");
    }

    private boolean awaitOpen(String title) {
        return awaitOpen(title, jobs.ended(title), rnd.nextInt(6) == 0
                ? System.nanoTime() + rnd.nextInt(3000) * 1_000_000L : Long.MAX_VALUE);
    }

    /**
     * Waits for the open job with this title to end (after {@code before} had ended), cancelling it
     * once {@code cancelAt} has passed, then for the baseline.
     */
    private boolean awaitOpen(String title, int before, long cancelAt) {
        boolean ended = waitUntil(OPEN_SECONDS, () -> {
            if (System.nanoTime() > cancelAt && Fx.call(() -> act.cancelJob(title))) {
                done.merge(Kind.CANCEL_JOB, 1, Integer::sum);
            }
            return jobs.ended(title) > before;
        }, title);
        return ended && waitUntil(OPEN_SECONDS, () -> Fx.call(() -> w.model().workspace() == null
                || w.model().workspace().data() == null || w.model().baselineProperty().get() != null), "the baseline");
    }

    private boolean sweep() {
        if (!Fx.call(act::startSweep)) {
            return false;
        }
        if (rnd.nextInt(10) < 7) {
            schedule(1000 + rnd.nextInt(15000), "cancel the sweep", act::cancelSweep);
        }
        return true;
    }

    private boolean export() {
        Path folder = files.nextExportFolder();
        if (!Fx.call(() -> act.startExport(folder))) {
            return false;
        }
        if (rnd.nextInt(10) < 7) {
            schedule(500 + rnd.nextInt(10000), "cancel the export", act::cancelExport);
        }
        return true;
    }

    private boolean exportDialog() {
        Fx.run(act::showExportDialog);
        schedule(500 + rnd.nextInt(3000), "close the export dialog", act::closeExportDialog);
        return true;
    }

    private void schedule(long millis, String what, Runnable fxStep) {
        later.add(new Timed(System.nanoTime() + millis * 1_000_000L, what, fxStep));
    }

    /** Runs the timed steps that are due (all of them at the end). */
    private void runDue(boolean all) {
        long now = System.nanoTime();
        for (Iterator<Timed> it = later.iterator(); it.hasNext(); ) {
            Timed t = it.next();
            if (all || t.due() <= now) {
                it.remove();
                stalls.during(t.what());
                try {
                    Fx.run(t.step());
                } catch (SoakStepException e) {
                    failures.stepFailed(t.what(), e.getCause() != null ? e.getCause() : e);
                }
            }
        }
    }

    /**
     * Polls {@code condition} every 100 ms for up to {@code seconds}, and no longer than the session;
     * false on time-out (noted unless the session simply ended).
     */
    private boolean waitUntil(long seconds, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > sessionEnd) {
                return false;
            }
            if (System.nanoTime() > end) {
                timeouts++;
                notes.add("waited " + seconds + " s for " + what + " in vain");
                return false;
            }
            runDue(false);
            Fx.sleep(100);
        }
        return true;
    }

    /** Actions performed per kind, and those that did not apply when drawn. */
    Map<String, Object> figures() {
        Map<String, Object> out = new LinkedHashMap<>();
        int total = done.values().stream().mapToInt(Integer::intValue).sum();
        out.put("actionsTotal", total);
        Map<String, Integer> byKind = new LinkedHashMap<>();
        done.forEach((k, n) -> byKind.put(k.name().toLowerCase(java.util.Locale.ROOT), n));
        out.put("actions", byKind);
        Map<String, Integer> skipped = new LinkedHashMap<>();
        notApplicable.forEach((k, n) -> skipped.put(k.name().toLowerCase(java.util.Locale.ROOT), n));
        out.put("actionsNotApplicable", skipped);
        out.put("modelsOpened", opened);
        out.put("waitTimeouts", timeouts);
        out.put("scriptNotes", notes.size() > 20 ? notes.subList(notes.size() - 20, notes.size()) : notes);
        return out;
    }
}
