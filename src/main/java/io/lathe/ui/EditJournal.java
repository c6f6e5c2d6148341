package io.lathe.ui;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanException;
import io.lathe.compress.PlanJson;
import io.lathe.files.CorruptFiles;
import io.lathe.session.PlanJournal;
import io.lathe.session.Workspace;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps the window's plan-edit journal: every committed plan change is written at once, the steps of a
 * slider drag at most every {@link #THROTTLE} (the last step always: on release, or when the throttle
 * fires), on the given writer (a background thread in the app, the calling thread in tests), newest
 * entry wins. When a model is opened it hands back the entry journaled for it, once per session. A
 * write that fails is reported once, as a notice, until a write succeeds again. FX thread, except the
 * writes themselves.
 */
final class EditJournal {
    /** The longest a dragged plan waits before it is journaled. */
    static final Duration THROTTLE = Duration.ofMillis(300);
    private static final long FLUSH_SECONDS = 10;
    private final PlanJournal journal;
    private final Delay delay;
    private final Executor writer;
    private final Executor fx;
    private final Consumer<String> notices;
    private final Clock clock;
    private final AtomicReference<PlanJournal.Entry> pending = new AtomicReference<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final Set<String> consulted = new HashSet<>();
    private Workspace ws;
    private int edits;
    private Plan last;
    private boolean lastUnsaved;
    private Runnable throttled;

    /**
     * @param writer  runs the file writes, in submission order (single thread or the caller's)
     * @param fx      hands write failures back to the FX thread
     * @param notices told (on the FX thread) when journaling fails
     */
    EditJournal(PlanJournal journal, Delay delay, Executor writer, Executor fx, Consumer<String> notices, Clock clock) {
        this.journal = journal;
        this.delay = delay;
        this.writer = writer;
        this.fx = fx;
        this.notices = notices;
        this.clock = clock;
    }

    /**
     * Starts journaling for {@code opened} and returns what was journaled for its model before, the first
     * time this model is opened in this session (later opens return nothing: the journal is this session's).
     */
    Optional<PlanJournal.Entry> opened(Workspace opened) {
        flushThrottled();
        if (ws == null || !ws.sha256().equals(opened.sha256())) {
            edits = 0;
            last = null;
        }
        ws = opened;
        if (!consulted.add(opened.sha256())) {
            return Optional.empty();
        }
        return journal.read(opened.sha256(), notices);
    }

    /** Journals a change of the plan: now when {@code immediate} (an edit, a release), else throttled. */
    void changed(Plan plan, boolean immediate, boolean unsaved) {
        if (ws == null || plan == null) {
            return;
        }
        last = plan;
        lastUnsaved = unsaved;
        if (immediate) {
            edits++;
            cancelThrottle();
            submit();
        } else if (throttled == null) {
            throttled = delay.schedule(THROTTLE, () -> {
                throttled = null;
                submit();
            });
        }
    }

    /** Journals the current plan again without counting an edit (it was saved, or restored with its count). */
    void record(Plan plan, boolean unsaved, int editCount) {
        edits = editCount;
        last = plan;
        lastUnsaved = unsaved;
        cancelThrottle();
        submit();
    }

    /** Edits counted for the open model so far. */
    int edits() {
        return edits;
    }

    /**
     * Restores a journaled plan into {@code editor} (as one undoable edit on top of {@code start}, so the
     * plan counts as unsaved) when it differs from the plan the editor holds, and says so. An entry whose
     * plan no longer fits the model is set aside instead.
     */
    void restore(PlanJournal.Entry e, Workspace opened, Plan start, PlanEditor editor) {
        Plan p;
        try {
            p = opened.readPlan(e.planJson());
        } catch (PlanException ex) {
            notices.accept(CorruptFiles.setAside(journal.fileFor(opened.sha256()), "The plan journal", ex.getMessage(),
                    clock));
            return;
        }
        if (!p.equals(editor.plan())) {
            editor.restore(start, p);
            record(p, true, e.edits());
            notices.accept(restoredMessage(e, clock));
        }
    }

    /** Writes the latest plan now and waits (at most a few seconds) until every journal write is done. */
    void flush() {
        flushThrottled();
        CountDownLatch done = new CountDownLatch(1);
        writer.execute(done::countDown);
        try {
            if (!done.await(FLUSH_SECONDS, TimeUnit.SECONDS)) {
                notices.accept("The plan journal is still being written after " + FLUSH_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The notice shown when a journaled plan was restored. */
    static String restoredMessage(PlanJournal.Entry e, Clock clock) {
        ZonedDateTime t = e.time().atZone(clock.getZone());
        String when = t.toLocalDate().equals(LocalDate.now(clock)) ? t.format(DateTimeFormatter.ofPattern("HH:mm"))
                : t.format(DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH));
        String count = e.edits() == 1 ? "1 edit" : e.edits() + " edits";
        return e.unsaved() ? "Restored the unsaved plan from your last session (" + count + ", " + when + ")"
                : "Restored the plan you were working on in your last session (saved to a plan file; " + when + ")";
    }

    private void flushThrottled() {
        if (throttled != null) {
            cancelThrottle();
            submit();
        }
    }

    private void cancelThrottle() {
        if (throttled != null) {
            throttled.run();
            throttled = null;
        }
    }

    private void submit() {
        if (last == null) {
            return;
        }
        PlanJournal.Entry e = new PlanJournal.Entry(PlanJson.write(last), ws.sha256(), ws.modelName(), ws.origin(),
                ws.data() == null ? null : ws.data().source(), edits, lastUnsaved, clock.instant());
        if (pending.getAndSet(e) == null) {
            writer.execute(this::writePending);
        }
    }

    private void writePending() {
        PlanJournal.Entry e = pending.getAndSet(null);
        if (e == null) {
            return;
        }
        try {
            journal.write(e);
            failing.set(false);
        } catch (IOException | RuntimeException ex) {
            if (!failing.getAndSet(true)) {
                fx.execute(() -> notices.accept("Plan edits are not being journaled (a crash would lose them): "
                        + ex.getMessage()));
            }
        }
    }
}
