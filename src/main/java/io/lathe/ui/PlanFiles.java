package io.lathe.ui;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.files.AtomicFiles;
import io.lathe.session.PlanJournal;
import io.lathe.session.UserSettings;
import io.lathe.session.Workspace;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The plan's files: the plan file opened or saved last, the recent files list, the edit journal (every
 * plan change is journaled, and a journaled plan newer than the remembered one is restored when its model
 * is opened) and the plan remembered for the next run, with the notices these produce. FX thread.
 */
public final class PlanFiles {
    private final PlanEditor editor;
    private final UserSettings settings;
    private final ErrorReporter errors;
    private final EditJournal journal;
    private final ReadOnlyObjectWrapper<Path> planFile = new ReadOnlyObjectWrapper<>(this, "planFile");
    private final ObservableList<String> notices = FXCollections.observableArrayList();
    /** One read-only view, kept: listeners on a discarded unmodifiable wrapper are dropped with it. */
    private final ObservableList<String> readOnlyNotices = FXCollections.unmodifiableObservableList(notices);
    private boolean restoreLastPlan = true;

    /**
     * @param editor        the plan being edited
     * @param settings      recent files and the remembered plan; the journal lives in its folder
     * @param errors        where failures to read or write a plan file are shown
     * @param delay         throttles the journal's writes while a slider is dragged
     * @param journalWriter runs the journal's file writes in order (a background thread in the app; the
     *                      calling thread in tests)
     * @param fx            hands journal write failures back to the FX thread
     */
    public PlanFiles(PlanEditor editor, UserSettings settings, ErrorReporter errors, Delay delay, Executor journalWriter,
                     Executor fx) {
        this.editor = editor;
        this.settings = settings;
        this.errors = errors;
        this.journal = new EditJournal(PlanJournal.in(settings), delay, journalWriter, fx, notices::add,
                Clock.systemDefaultZone());
        notices.addAll(settings.problems());
    }

    /** Journals a change of the plan (the editor's every change): now when {@code immediate}, else throttled. */
    void changed(Plan plan, boolean immediate) {
        journal.changed(plan, immediate, editor.dirtyProperty().get());
    }

    /**
     * A model was opened and the editor starts at {@code start}: no plan file is open any more; the plan
     * remembered from the last run is restored with the first model opened (if it fits), then a journaled
     * plan of this model that differs from the editor's.
     */
    void opened(Workspace ws, Plan start) {
        planFile.set(null);
        Optional<PlanJournal.Entry> journaled = journal.opened(ws);
        if (restoreLastPlan) {
            restoreLastPlan = false;
            settings.lastPlan().ifPresent(text -> {
                try {
                    editor.restore(start, ws.readPlan(text));
                } catch (Exception e) {
                    // A remembered plan for another model is simply not restored.
                }
            });
        }
        journaled.ifPresent(e -> journal.restore(e, ws, start, editor));
    }

    /** Reads a plan file for the model of {@code ws} and makes it the current plan (one undoable edit). */
    public void openPlan(Workspace ws, Path file) {
        if (ws == null) {
            errors.report("Open plan", new IllegalStateException("open a model before its plan"));
            return;
        }
        try {
            Plan p = ws.readPlan(Files.readString(file));
            editor.edit("Open plan " + file.getFileName(), p);
            saved(file);
        } catch (Exception e) {
            errors.report("Open plan " + file.getFileName(), e);
        }
    }

    /** Writes the plan file; returns false (after reporting) if it could not be written. */
    public boolean savePlan(Path file) {
        try {
            AtomicFiles.writeString(file, PlanJson.write(editor.plan()));
            saved(file);
            return true;
        } catch (IOException e) {
            errors.report("Save plan " + file.getFileName(), e);
            return false;
        }
    }

    /** The editor's plan is the one in {@code file} now. */
    private void saved(Path file) {
        editor.markSaved();
        journal.record(editor.plan(), false, journal.edits());
        planFile.set(file);
        addRecent(file);
    }

    /** Puts a model, data folder or plan file first in the recent files list. */
    public void addRecent(Path file) {
        settings.addRecent(file);
    }

    /** Recently opened models, data folders and plans, newest first. */
    public List<Path> recentFiles() {
        return settings.recentFiles();
    }

    /** Remembers the plan and settings for the next run (and finishes the journal's writes). */
    public void rememberSession() throws IOException {
        journal.flush();
        if (editor.plan() != null) {
            settings.saveLastPlan(PlanJson.write(editor.plan()));
        }
        settings.save();
    }

    /** Writes the journal's latest plan now and waits for it (on exit). */
    public void flushJournal() {
        journal.flush();
    }

    /** Whether the remembered plan is restored with the next model opened (only the first, by default). */
    public void setRestoreLastPlan(boolean on) {
        restoreLastPlan = on;
    }

    /** The plan file the plan was last opened from or saved to, or null (a new model has none). */
    public ReadOnlyObjectProperty<Path> planFileProperty() {
        return planFile.getReadOnlyProperty();
    }

    /**
     * Things the user should know that are not failures (a plan restored from the journal, a settings
     * file set aside), oldest first; the view shows them in the messages list. Read-only.
     */
    public ObservableList<String> notices() {
        return readOnlyNotices;
    }
}
