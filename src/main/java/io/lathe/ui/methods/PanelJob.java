package io.lathe.ui.methods;

import io.lathe.job.EngineRunner;
import io.lathe.job.Job;
import io.lathe.job.JobHandle;
import io.lathe.job.Progress;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One background job at a time for a panel: running flag, fraction and stage text for the view, and
 * cancellation. Starting a new job cancels the one before; results and progress of a cancelled or
 * replaced job are dropped. FX thread (callbacks arrive through the runner's callback executor and
 * {@code fx}).
 */
final class PanelJob<T> {
    private final EngineRunner runner;
    private final Executor fx;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction");
    private final ReadOnlyStringWrapper stage = new ReadOnlyStringWrapper(this, "stage", "");
    private volatile Object current;
    private JobHandle<T> handle;

    PanelJob(EngineRunner runner, Executor fx) {
        this.runner = runner;
        this.fx = fx;
    }

    /** Cancels any running job and starts {@code job}; exactly one callback runs unless it is cancelled. */
    void start(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        cancel();
        Object token = new Object();
        current = token;
        running.set(true);
        fraction.set(0);
        stage.set("waiting for the engine");
        Job<T> reporting = p -> job.run(new Progress() {
            @Override
            public void update(double f, String message) {
                p.update(f, message);
                fx.execute(() -> {
                    if (current == token) {
                        fraction.set(f);
                        stage.set(message);
                    }
                });
            }

            @Override
            public boolean isCancelled() {
                return p.isCancelled();
            }
        });
        handle = runner.submit(title, reporting, v -> {
            if (finish(token)) {
                onSuccess.accept(v);
            }
        }, t -> {
            if (finish(token)) {
                onFailure.accept(t);
            }
        });
    }

    private boolean finish(Object token) {
        if (current != token) {
            return false;
        }
        current = null;
        running.set(false);
        stage.set("");
        return true;
    }

    /** Cancels the running job, if any. */
    void cancel() {
        if (current != null) {
            current = null;
            if (handle != null) {
                handle.cancel();
            }
            running.set(false);
            stage.set("");
        }
        handle = null;
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    ReadOnlyStringProperty stageProperty() {
        return stage.getReadOnlyProperty();
    }
}
