package io.lathe.ui;

import io.lathe.job.JobHandle;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One job as the jobs area shows it: title, stage message, fraction, ETA, state; cancellable. FX thread. */
public final class JobRow {
    private final JobHandle<?> handle;
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper eta = new ReadOnlyStringWrapper(this, "eta", "");
    private final ReadOnlyObjectWrapper<JobHandle.State> state = new ReadOnlyObjectWrapper<>(this, "state");

    JobRow(JobHandle<?> handle) {
        this.handle = handle;
        update();
    }

    /** Copies the handle's live progress into the properties. */
    void update() {
        fraction.set(handle.fraction());
        message.set(finished() ? "" : handle.message());
        double s = handle.etaSeconds();
        eta.set(Double.isNaN(s) ? "" : "about " + Formats.duration(s) + " left");
        state.set(handle.state());
    }

    JobHandle<?> handle() {
        return handle;
    }

    public String title() {
        return handle.title();
    }

    /** Asks the job to stop at its next check. */
    public void cancel() {
        handle.cancel();
        update();
    }

    public boolean finished() {
        JobHandle.State s = handle.state();
        return s == JobHandle.State.SUCCEEDED || s == JobHandle.State.FAILED || s == JobHandle.State.CANCELLED;
    }

    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty etaProperty() {
        return eta.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<JobHandle.State> stateProperty() {
        return state.getReadOnlyProperty();
    }
}
