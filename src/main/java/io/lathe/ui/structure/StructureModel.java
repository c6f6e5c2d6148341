package io.lathe.ui.structure;

import io.lathe.compress.Plan;
import io.lathe.session.StructureService;
import io.lathe.session.Workspace;
import io.lathe.ui.Formats;
import io.lathe.ui.LatestJob;
import io.lathe.ui.WorkbenchModel;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * The Structure tab's state and commands: remove the current plan's channels physically as a
 * cancellable job and keep the measured report (accuracy, whole-model and per-layer latency, size),
 * then {@link #continueWithSmaller()} to make the smaller network the workspace's model, and
 * {@link #goBack()} to return to the model (and plan) it came from. FX thread; engine results arrive
 * through {@code fx}.
 */
public final class StructureModel {
    /** Validation image counts offered (0 = the whole split). */
    public static final List<Integer> IMAGE_CHOICES = List.of(500, 1000, 0);

    private record Previous(Workspace workspace, Plan plan) {
    }

    private final WorkbenchModel wb;
    private final LatestJob<StructureService.Report> job;
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyObjectWrapper<StructureService.Report> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ReadOnlyBooleanWrapper canContinue = new ReadOnlyBooleanWrapper(this, "canContinue");
    private final ReadOnlyStringWrapper backTo = new ReadOnlyStringWrapper(this, "backTo");
    private final Deque<Previous> history = new ArrayDeque<>();
    private Workspace reportSource;
    private int roundTo = 1;
    private int images = 1000;
    private IntFunction<StructureService.Effort> effort = StructureService.Effort::standard;

    /**
     * @param wb the workbench session
     * @param fx hands engine-thread outcomes to the FX thread
     */
    public StructureModel(WorkbenchModel wb, Executor fx) {
        this.wb = wb;
        this.job = new LatestJob<>(wb.runner(), fx, wb.errors());
        job.stateProperty().addListener((o, a, st) -> refresh());
        wb.workspaceProperty().addListener((o, a, ws) -> {
            if (ws == null || history.stream().noneMatch(p -> p.workspace() == ws)
                    && (report.get() == null || ws != report.get().smaller())) {
                history.clear();
            }
            refresh();
        });
        wb.editor().planProperty().addListener((o, a, p) -> refresh());
        wb.baselineProperty().addListener((o, a, b) -> refresh());
        refresh();
    }

    /** Rounds kept channel counts up to a multiple of {@code n} (1, 8 or 16). */
    public void setRoundTo(int n) {
        if (!StructureService.ROUNDINGS.contains(n)) {
            throw new IllegalArgumentException("round to 1, 8 or 16, not " + n);
        }
        roundTo = n;
    }

    public int roundTo() {
        return roundTo;
    }

    /** Measures accuracy on the first {@code n} validation images (0: all of them). */
    public void setImages(int n) {
        images = Math.max(0, n);
        refresh();
    }

    public int images() {
        return images;
    }

    /** Sets how many images and timed calls a run uses (tests use very few). */
    public void setEffort(IntFunction<StructureService.Effort> byImages) {
        effort = byImages;
    }

    /** Channel-pruned layers under the current plan (empty without a model). */
    public List<String> channelLayers() {
        Workspace ws = wb.workspace();
        Plan p = wb.editor().plan();
        return ws == null || p == null ? List.of() : StructureService.channelLayers(ws, p);
    }

    /**
     * Expected seconds of a run before it starts (an estimate from the measured baseline speed: two
     * accuracy passes, the paired timings and the per-layer profiles), or NaN until the baseline is known.
     */
    public double estimatedSeconds() {
        Workspace ws = wb.workspace();
        double perImage = StructureService.secondsPerImage(ws);
        if (Double.isNaN(perImage) || ws.data() == null) {
            return Double.NaN;
        }
        StructureService.Effort e = effort.apply(images);
        int n = StructureService.validation(ws, e.images()).size();
        double batch64 = 64 * perImage;
        return 2 * n * perImage + 2 * (5 + e.repeats1()) * 4 * perImage + 2 * (2 + e.repeats64()) * batch64
                + 2 * (2 + e.layerRepeats()) * 2 * batch64;
    }

    /** Starts the removal job for the current plan; returns the problem instead when it cannot start. */
    public String run() {
        if (job.isRunning()) {
            return "a removal is already running";
        }
        refresh();
        if (problem.get() != null) {
            return problem.get();
        }
        Workspace ws = wb.workspace();
        Plan plan = wb.editor().plan();
        job.setStatus("removing channels of " + channelLayers().size() + " layers and measuring (see Jobs)…");
        job.start("Remove channels", StructureService.removeChannels(ws, plan, roundTo, effort.apply(images)),
                r -> finished(ws, r), t -> job.setStatus("stopped by an error; the model in use is unchanged"),
                () -> job.setStatus("cancelled; nothing changed"));
        return null;
    }

    /** Stops the running removal; the model and plan stay as they are. */
    public void cancel() {
        job.cancel();
    }

    private void finished(Workspace ws, StructureService.Report r) {
        reportSource = ws;
        report.set(r);
        job.setStatus(String.format(Locale.ROOT, "measured: batch-64 latency %.2f× faster, %s parameters "
                        + "left; the model in use is unchanged until you continue with the smaller one",
                r.batch64().speedup(), Formats.percent((double) r.after().totalParams() / r.before().totalParams(), 1)));
    }

    /**
     * Makes the measured smaller network the workspace's model; its plan starts with the settings that
     * were not channel removal (one undoable edit on top of the empty plan). The model and plan left are
     * kept in memory for {@link #goBack()}. Does nothing unless {@link #canContinueProperty()} is true.
     */
    public void continueWithSmaller() {
        StructureService.Report r = report.get();
        if (!canContinue.get() || r == null) {
            return;
        }
        history.push(new Previous(reportSource, wb.editor().plan()));
        wb.workspaces().switchModel(r.smaller(), r.remaining(), "Keep the settings other than channel removal");
        job.setStatus("now working on " + r.smallerName() + " (" + Formats.count(r.after().totalParams())
                + " parameters); previews, fine-tuning and export use it");
        refresh();
    }

    /** Returns to the model (and the plan) the smaller one was made from. */
    public void goBack() {
        Previous p = history.poll();
        if (p == null) {
            return;
        }
        wb.workspaces().switchModel(p.workspace(), p.plan(), "Restore the plan of " + p.workspace().modelName());
        job.setStatus("back on " + p.workspace().modelName());
        refresh();
    }

    private void refresh() {
        Workspace ws = wb.workspace();
        Plan plan = wb.editor().plan();
        problem.set(StructureService.problem(ws, plan));
        StructureService.Report r = report.get();
        canContinue.set(r != null && ws != null && ws == reportSource && r.plan().equals(plan)
                && job.stateProperty().get() != LatestJob.State.RUNNING);
        backTo.set(history.isEmpty() ? null : history.peek().workspace().modelName());
    }

    /** True when the shown report belongs to the workspace and plan in use (it is not out of date). */
    public boolean reportIsCurrent() {
        StructureService.Report r = report.get();
        return r != null && wb.workspace() == reportSource && r.plan().equals(wb.editor().plan());
    }

    /** Where the removal job is. */
    public ReadOnlyObjectProperty<LatestJob.State> stateProperty() {
        return job.stateProperty();
    }

    /** Why a run cannot start now (what is wrong and what to do), or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return job.statusProperty();
    }

    /** The last finished measurement, or null. */
    public ReadOnlyObjectProperty<StructureService.Report> reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** True while the report matches the workspace and plan in use, so its smaller model can be taken. */
    public ReadOnlyBooleanProperty canContinueProperty() {
        return canContinue.getReadOnlyProperty();
    }

    /** Name of the model {@link #goBack()} returns to, or null when there is none. */
    public ReadOnlyStringProperty backToProperty() {
        return backTo.getReadOnlyProperty();
    }

    public WorkbenchModel workbench() {
        return wb;
    }
}
