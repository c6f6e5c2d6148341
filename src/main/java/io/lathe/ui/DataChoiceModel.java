package io.lathe.ui;

import io.lathe.job.EngineRunner;
import io.lathe.job.JobHandle;
import io.lathe.session.DataProbe;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The data dialog's state: a data folder and the model's preprocessing (a preset name or a JSON file),
 * with the model's accuracy on the first few hundred validation images measured as the user chooses,
 * so the right preprocessing is seen rather than guessed. Only the newest choice's measurement is
 * shown; a change cancels the one before. FX thread.
 */
public final class DataChoiceModel {
    /** Validation images the quick check measures. */
    public static final int PROBE_IMAGES = 300;
    private static final Duration PAUSE = Duration.ofMillis(200);

    private final EngineRunner runner;
    private final Delay delay;
    private final DataProbe probe;
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>(this, "folder");
    private final StringProperty preprocess = new SimpleStringProperty(this, "preprocess");
    private final ReadOnlyStringWrapper accuracy = new ReadOnlyStringWrapper(this, "accuracy", "");
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper(this, "description", "");
    private final ReadOnlyBooleanWrapper measuring = new ReadOnlyBooleanWrapper(this, "measuring");
    private final ReadOnlyBooleanWrapper usable = new ReadOnlyBooleanWrapper(this, "usable");
    private Runnable pending;
    private JobHandle<DataProbe.Result> running;
    private Object token;

    /**
     * @param probe      measures a folder and preprocessing on the open model (engine thread)
     * @param folder     the folder to start from (may be null)
     * @param preprocess the model's current preprocessing (a preset name or JSON file)
     */
    public DataChoiceModel(EngineRunner runner, Delay delay, DataProbe probe, Path folder, String preprocess) {
        this.runner = runner;
        this.delay = delay;
        this.probe = probe;
        this.folder.set(folder);
        this.preprocess.set(preprocess);
        this.folder.addListener((o, a, b) -> changed());
        this.preprocess.addListener((o, a, b) -> changed());
        changed();
    }

    public ObjectProperty<Path> folderProperty() {
        return folder;
    }

    public StringProperty preprocessProperty() {
        return preprocess;
    }

    /** "Accuracy on the first 300 validation images: 81.33% ± 4.41", a "measuring…" line, or what is wrong. */
    public ReadOnlyStringProperty accuracyProperty() {
        return accuracy.getReadOnlyProperty();
    }

    /** The chosen preprocessing in words (scale, mean, std, channel order, resize and crop). */
    public ReadOnlyStringProperty descriptionProperty() {
        return description.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty measuringProperty() {
        return measuring.getReadOnlyProperty();
    }

    /** True once the newest choice was read and fits the model (the dialog's Open button). */
    public ReadOnlyBooleanProperty usableProperty() {
        return usable.getReadOnlyProperty();
    }

    /** Stops the pending or running measurement (the dialog closed). */
    public void cancel() {
        if (pending != null) {
            pending.run();
            pending = null;
        }
        if (running != null) {
            running.cancel();
            running = null;
        }
        token = null;
        measuring.set(false);
    }

    private void changed() {
        cancel();
        usable.set(false);
        Path f = folder.get();
        String p = preprocess.get();
        if (f == null || p == null || p.isBlank()) {
            accuracy.set(f == null ? "Choose a data folder." : "Choose a preprocessing.");
            return;
        }
        try {
            description.set(probe.describe(p));
        } catch (IllegalArgumentException e) {
            description.set("");
            accuracy.set(e.getMessage());
            return;
        }
        Object mine = new Object();
        token = mine;
        measuring.set(true);
        accuracy.set("Measuring accuracy on the first " + PROBE_IMAGES + " validation images…");
        pending = delay.schedule(PAUSE, () -> {
            pending = null;
            running = runner.submit("Check data " + f.getFileName(), pr -> probe.measure(f, p, PROBE_IMAGES, pr), r -> {
                if (token == mine) {
                    accuracy.set(r.summary());
                    usable.set(true);
                    measuring.set(false);
                }
            }, t -> {
                if (token == mine) {
                    accuracy.set(Dialogs.reason(t));
                    measuring.set(false);
                }
            });
        });
    }
}
