package io.lathe.ui;

import io.lathe.job.EngineRunner;
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
import java.util.concurrent.Executor;

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

    private final LatestJob<DataProbe.Result> job;
    private final Delay delay;
    private final DataProbe probe;
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>(this, "folder");
    private final StringProperty preprocess = new SimpleStringProperty(this, "preprocess");
    private final ReadOnlyStringWrapper accuracy = new ReadOnlyStringWrapper(this, "accuracy", "");
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper(this, "description", "");
    private final ReadOnlyBooleanWrapper usable = new ReadOnlyBooleanWrapper(this, "usable");

    /**
     * @param fx         hands the measurement's outcome to the FX thread
     * @param probe      measures a folder and preprocessing on the open model (engine thread)
     * @param folder     the folder to start from (may be null)
     * @param preprocess the model's current preprocessing (a preset name or JSON file)
     */
    public DataChoiceModel(EngineRunner runner, Executor fx, Delay delay, DataProbe probe, Path folder,
                           String preprocess) {
        // A failed check is no error to report: its reason is the dialog's accuracy line.
        this.job = new LatestJob<>(runner, fx, (action, t) -> { });
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

    /** True from a change until its measurement has reported (the pause before it included). */
    public ReadOnlyBooleanProperty measuringProperty() {
        return job.runningProperty();
    }

    /** True once the newest choice was read and fits the model (the dialog's Open button). */
    public ReadOnlyBooleanProperty usableProperty() {
        return usable.getReadOnlyProperty();
    }

    /** Stops the pending or running measurement (the dialog closed). */
    public void cancel() {
        job.drop();
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
        accuracy.set("Measuring accuracy on the first " + PROBE_IMAGES + " validation images…");
        job.startAfter(delay, PAUSE, "Check data " + f.getFileName(), pr -> probe.measure(f, p, PROBE_IMAGES, pr), r -> {
            accuracy.set(r.summary());
            usable.set(true);
        }, t -> accuracy.set(Dialogs.reason(t)), () -> { });
    }
}
