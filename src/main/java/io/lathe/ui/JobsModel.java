package io.lathe.ui;

import io.lathe.job.JobHandle;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The jobs area: one row per submitted job with live progress, newest first. A finished job is
 * replaced when another job with the same title starts (so previews don't pile up); at most
 * {@value #MAX_ROWS} rows are kept. Receives progress on the FX thread.
 */
public final class JobsModel implements JobHandle.ProgressListener {
    static final int MAX_ROWS = 8;
    private final ObservableList<JobRow> rows = FXCollections.observableArrayList();
    private final Map<JobHandle<?>, JobRow> byHandle = new IdentityHashMap<>();
    private final BooleanBinding busy = Bindings.createBooleanBinding(
            () -> rows.stream().anyMatch(r -> !r.finished()), rows);

    @Override
    public void changed(JobHandle<?> job) {
        JobRow row = byHandle.get(job);
        if (row == null) {
            rows.removeIf(r -> r.finished() && r.title().equals(job.title()));
            byHandle.values().removeIf(r -> !rows.contains(r));
            row = new JobRow(job);
            byHandle.put(job, row);
            rows.add(0, row);
            while (rows.size() > MAX_ROWS) {
                JobRow old = rows.remove(rows.size() - 1);
                byHandle.remove(old.handle());
            }
        } else {
            row.update();
        }
        busy.invalidate();
    }

    public ObservableList<JobRow> rows() {
        return rows;
    }

    /** True while any job is queued or running. */
    public BooleanBinding busyBinding() {
        return busy;
    }

    /** Removes finished rows. */
    public void clearFinished() {
        rows.removeIf(JobRow::finished);
        byHandle.values().removeIf(r -> !rows.contains(r));
        busy.invalidate();
    }
}
