package io.lathe.ui.methods;

import io.lathe.compress.ActivationSetting;
import io.lathe.compress.Plan;
import io.lathe.model.LayerInfo;
import io.lathe.session.ActivationPruningService;
import io.lathe.session.Workspace;
import io.lathe.ui.Formats;
import io.lathe.ui.LatestJob;
import io.lathe.ui.WorkbenchModel;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.concurrent.Executor;

/**
 * The activation-pruning panel's state and commands for the selected layer: the ReLU it feeds, a
 * threshold (slider or typed, with an inline message for bad input), and a cancellable Measure job
 * that reports that ReLU's activation sparsity and the model's accuracy without and with the
 * threshold on a bounded number of validation images. The slider's range becomes the measured 99th
 * percentile of the ReLU's outputs after the first measurement. FX thread.
 */
public final class ActivationModel {
    /** Slider range before anything about the layer's outputs is measured. */
    static final double START_RANGE = 1.0;

    private final WorkbenchModel wb;
    private final ActivationPruningService service;
    private final int images;
    private final LatestJob<ActivationPruningService.Measurement> job;
    private final ReadOnlyStringWrapper relu = new ReadOnlyStringWrapper(this, "relu");
    private final ReadOnlyStringWrapper unavailable = new ReadOnlyStringWrapper(this, "unavailable", "");
    private final ReadOnlyDoubleWrapper threshold = new ReadOnlyDoubleWrapper(this, "threshold");
    private final ReadOnlyDoubleWrapper range = new ReadOnlyDoubleWrapper(this, "range", START_RANGE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper inPlan = new ReadOnlyStringWrapper(this, "inPlan", "");
    private final ReadOnlyObjectWrapper<ActivationPruningService.Measurement> measurement =
            new ReadOnlyObjectWrapper<>(this, "measurement");

    /**
     * @param wb      the workbench session (workspace, selected layer, runner, errors)
     * @param service finds the ReLU and measures
     * @param fx      hands progress from the engine thread to the FX thread
     * @param images  validation images a measurement uses
     */
    public ActivationModel(WorkbenchModel wb, ActivationPruningService service, Executor fx, int images) {
        this.wb = wb;
        this.service = service;
        this.images = images;
        this.job = new LatestJob<>(wb.runner(), fx, wb.errors());
        wb.layers().layerProperty().addListener((o, a, l) -> select(l));
        wb.workspaceProperty().addListener((o, a, ws) -> select(null));
        wb.editor().planProperty().addListener((o, a, p) -> inPlan.set(planText()));
        relu.addListener((o, a, v) -> inPlan.set(planText()));
        select(wb.layers().layer());
    }

    private void select(LayerInfo l) {
        job.drop();
        measurement.set(null);
        message.set("");
        Workspace ws = wb.workspace();
        String r = ws == null || l == null ? null : service.reluAfter(ws, l.name());
        if (r == null || !r.equals(relu.get())) {
            threshold.set(0);
            range.set(START_RANGE);
        }
        relu.set(r);
        if (ws == null || l == null) {
            unavailable.set("Select a layer in the tree to threshold the ReLU after it.");
        } else if (r == null) {
            unavailable.set("No ReLU follows " + l.name() + " (through its BatchNorm or the residual add), so there "
                    + "is no activation to threshold; select a convolution inside a block.");
        } else {
            unavailable.set("");
        }
    }

    /** Sets the threshold from the slider. */
    public void setThreshold(double t) {
        if (t >= 0 && !Double.isInfinite(t)) {
            threshold.set(t);
            message.set("");
        }
    }

    /**
     * Applies a typed threshold.
     *
     * @return null if applied, else what is wrong (also shown as the panel's message)
     */
    public String enterThreshold(String text) {
        String t = text == null ? "" : text.trim().replace(',', '.');
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return problem("'" + text + "' is not a threshold: give a number of 0 or more (e.g. 0.1)");
        }
        if (v < 0) {
            return problem("a threshold below 0 would not zero anything a ReLU outputs: give 0 or more");
        }
        if (!Double.isFinite(v)) {
            return problem("give a finite threshold of 0 or more");
        }
        threshold.set(v);
        if (v > range.get()) {
            range.set(v);
        }
        message.set("");
        return null;
    }

    private String problem(String text) {
        message.set(text);
        return text;
    }

    /**
     * Puts the current threshold into the plan for this ReLU (one undoable edit): previewed with the rest
     * of the plan, kept during fine-tuning, exported as ONNX ThresholdedRelu. A threshold of 0 removes it.
     */
    public void putInPlan() {
        String r = relu.get();
        if (r == null) {
            return;
        }
        Plan p = wb.editor().plan();
        double t = threshold.get();
        wb.editor().edit(t == 0 ? "Remove the activation threshold of " + r
                        : "Set the activation threshold of " + r + " to " + Formats.number(t),
                p.with(r, p.settingsOf(r).withActivation(ActivationSetting.threshold(t))));
    }

    /** Removes this ReLU's threshold from the plan. */
    public void removeFromPlan() {
        String r = relu.get();
        if (r == null || wb.editor().plan().activationOf(r).isNone()) {
            return;
        }
        Plan p = wb.editor().plan();
        wb.editor().edit("Remove the activation threshold of " + r, p.with(r, p.settingsOf(r).withActivation(null)));
    }

    /** What the plan holds for this ReLU, in a sentence. */
    public String planText() {
        String r = relu.get();
        if (r == null) {
            return "";
        }
        ActivationSetting a = wb.editor().plan().activationOf(r);
        return a.isNone() ? "Not in the plan: " + r + " is a plain ReLU."
                : "In the plan: " + r + " zeroes outputs at or below " + Formats.number(a.threshold()) + ".";
    }

    /** Measures sparsity and accuracy without and with the threshold (in the background). */
    public void measure() {
        Workspace ws = wb.workspace();
        String r = relu.get();
        if (ws == null || r == null) {
            problem("select a layer followed by a ReLU first");
            return;
        }
        if (ws.data() == null) {
            problem("open data that fits the model to measure: " + ws.dataProblem());
            return;
        }
        double t = threshold.get();
        message.set("");
        job.start("Measure activation threshold " + Formats.number(t) + " on " + r, service.measure(ws, r, t, images),
                m -> {
                    measurement.set(m);
                    if (m.rangeMax() > 0) {
                        range.set(Math.max(m.rangeMax(), threshold.get()));
                    }
                }, e -> message.set("measurement failed: " + e.getMessage()), () -> { });
    }

    /** Stops a running measurement. */
    public void cancel() {
        job.drop();
    }

    /** The images a measurement uses. */
    public int images() {
        return images;
    }

    /** The ReLU layer the threshold goes on, or null when the selection feeds none. */
    public ReadOnlyStringProperty reluProperty() {
        return relu.getReadOnlyProperty();
    }

    /** Why nothing can be thresholded, or "" when a ReLU follows the selection. */
    public ReadOnlyStringProperty unavailableProperty() {
        return unavailable.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty thresholdProperty() {
        return threshold.getReadOnlyProperty();
    }

    /** The slider's upper end: 1 until measured, then the 99th percentile of the ReLU's outputs. */
    public ReadOnlyDoubleProperty rangeProperty() {
        return range.getReadOnlyProperty();
    }

    /** What the plan holds for the selection, in a sentence (see {@link #planText()}). */
    public ReadOnlyStringProperty inPlanProperty() {
        return inPlan.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The last measurement for this ReLU (its threshold may differ from the current one), or null. */
    public ReadOnlyObjectProperty<ActivationPruningService.Measurement> measurementProperty() {
        return measurement.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty measuringProperty() {
        return job.runningProperty();
    }

    public ReadOnlyDoubleProperty fractionProperty() {
        return job.fractionProperty();
    }

    public ReadOnlyStringProperty stageProperty() {
        return job.messageProperty();
    }
}
