package io.lathe.ui;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.eval.PreviewUpdate;
import io.lathe.job.EngineRunner;
import io.lathe.job.Job;
import io.lathe.job.JobHandle;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The live accuracy preview: plan changes are debounced, each new request drops the one in flight
 * ({@link LatestJob}: a stale job's late results are never shown), and finished exact previews become
 * explored points. FX thread, except where noted.
 */
public final class PreviewModel {
    /** Pause after the last change before a preview starts while dragging. */
    public static final Duration DEBOUNCE = Duration.ofMillis(150);

    private final LatestJob<PreviewUpdate> job;
    private final Delay delay;
    private final ReadOnlyObjectWrapper<PreviewUpdate> latest = new ReadOnlyObjectWrapper<>(this, "latest");
    private final ReadOnlyBooleanWrapper reestimateBn = new ReadOnlyBooleanWrapper(this, "reestimateBn");
    private final ObservableList<ExploredPoint> explored = FXCollections.observableArrayList();
    private final List<JobHandle<?>> cancelledHandles = new ArrayList<>();
    private PreviewSource source;

    /**
     * @param runner    the engine runner previews are submitted to
     * @param fx        where engine-side updates are handed to the FX thread ({@code Platform::runLater})
     * @param delay     the debounce clock
     * @param onFailure told of a failed (not cancelled) preview, on the FX thread
     */
    public PreviewModel(EngineRunner runner, Executor fx, Delay delay, Consumer<Throwable> onFailure) {
        this.job = new LatestJob<>(runner, fx, (action, t) -> onFailure.accept(t));
        this.delay = delay;
    }

    /** Switches to another model's preview source, showing {@code start} (e.g. the measured baseline). */
    public void reset(PreviewSource newSource, PreviewUpdate start) {
        cancel();
        source = newSource;
        explored.clear();
        latest.set(start);
        if (start != null && start.exact()) {
            explored.add(new ExploredPoint(start.plan(), start.stats().compressionRatio(), start.top1()));
        }
    }

    /**
     * Adds the measured baseline as an explored point, and shows it if nothing was previewed yet and
     * the plan is still the one it measured.
     */
    public void addBaseline(PreviewUpdate base, Plan current) {
        explored.add(0, new ExploredPoint(base.plan(), base.stats().compressionRatio(), base.top1()));
        if (latest.get() == null && base.plan().equals(current)) {
            latest.set(base);
        }
    }

    /** Asks for a preview of {@code plan}: now ({@code immediate}, e.g. on release) or after the debounce. */
    public void request(Plan plan, boolean immediate) {
        cancel();
        reestimateBn.set(plan.batchNormImages() > 0);
        if (source == null) {
            return;
        }
        PreviewSource src = source;
        boolean bn = plan.batchNormImages() > 0;
        Consumer<PreviewUpdate> show = job.newest(latest::set);
        Job<PreviewUpdate> work = progress -> src.preview(plan, bn, show, progress);
        Consumer<PreviewUpdate> done = u -> {
            latest.set(u);
            if (u.exact()) {
                explored.add(new ExploredPoint(u.plan(), u.stats().compressionRatio(), u.top1()));
            }
        };
        if (immediate) {
            job.start("Preview", work, done);
        } else {
            job.startAfter(delay, DEBOUNCE, "Preview", work, done, t -> { }, () -> { });
        }
    }

    /** Cancels the preview in flight and any pending one. */
    public void cancel() {
        JobHandle<?> inFlight = job.handle();
        job.drop();
        if (inFlight != null) {
            remember(inFlight);
        }
    }

    private void remember(JobHandle<?> replaced) {
        cancelledHandles.add(replaced);
        if (cancelledHandles.size() > 16) {
            cancelledHandles.remove(0);
        }
    }

    /**
     * True when the last requested plan asks for BatchNorm calibration, so its previews refresh
     * BatchNorm statistics on training images first.
     */
    public ReadOnlyBooleanProperty reestimateBnProperty() {
        return reestimateBn.getReadOnlyProperty();
    }

    /** The newest shown update (estimate or exact), or null before any. */
    public ReadOnlyObjectProperty<PreviewUpdate> latestProperty() {
        return latest.getReadOnlyProperty();
    }

    public PreviewUpdate latest() {
        return latest.get();
    }

    /** The stats shown with the newest update, or null. */
    public ModelStats stats() {
        return latest.get() == null ? null : latest.get().stats();
    }

    /** True while a preview is pending or measuring. */
    public ReadOnlyBooleanProperty runningProperty() {
        return job.runningProperty();
    }

    /** Finished exact previews, oldest first. */
    public ObservableList<ExploredPoint> explored() {
        return explored;
    }

    /** Handles of previews that were cancelled because a newer one replaced them (for tests, oldest first). */
    List<JobHandle<?>> cancelledHandles() {
        return List.copyOf(cancelledHandles);
    }
}
