package io.lathe.ui.methods;

import io.lathe.compress.LowRankSetting;
import io.lathe.compress.Plan;
import io.lathe.model.LayerInfo;
import io.lathe.session.LowRankService;
import io.lathe.session.Workspace;
import io.lathe.structure.LowRank;
import io.lathe.ui.Formats;
import io.lathe.ui.LatestJob;
import io.lathe.ui.WorkbenchModel;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * The low-rank panel's state and commands for the selected layer: its singular-value energy curve
 * (computed in the background when the layer is selected), the chosen rank (slider, typed rank or
 * typed energy share, with an inline message for bad input), the factorized weight count at that
 * rank, and a cancellable Measure job that reports the factorized model's measured accuracy, size and
 * latency against the unchanged model. FX thread.
 */
public final class LowRankModel {
    /** Share of the energy the rank starts at when a layer is selected. */
    static final double START_ENERGY = 0.9;

    private final WorkbenchModel wb;
    private final LowRankService service;
    private final int images;
    private final LatestJob<LowRank.Spectrum> spectrumJob;
    private final LatestJob<LowRankService.Measurement> measureJob;
    private final ReadOnlyStringWrapper layer = new ReadOnlyStringWrapper(this, "layer");
    private final ReadOnlyStringWrapper unavailable = new ReadOnlyStringWrapper(this, "unavailable", "");
    private final ReadOnlyStringWrapper modeText = new ReadOnlyStringWrapper(this, "modeText", "");
    private final ReadOnlyObjectWrapper<LowRank.Spectrum> spectrum = new ReadOnlyObjectWrapper<>(this, "spectrum");
    private final ReadOnlyIntegerWrapper rank = new ReadOnlyIntegerWrapper(this, "rank");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper inPlan = new ReadOnlyStringWrapper(this, "inPlan", "");
    private final ReadOnlyObjectWrapper<LowRankService.Measurement> measurement =
            new ReadOnlyObjectWrapper<>(this, "measurement");
    private boolean active = true;

    /**
     * @param wb      the workbench session (workspace, selected layer, runner, errors)
     * @param service the factorization engine
     * @param fx      hands progress from the engine thread to the FX thread
     * @param images  validation images a measurement uses (bounded: the figures are a sample)
     */
    public LowRankModel(WorkbenchModel wb, LowRankService service, Executor fx, int images) {
        this.wb = wb;
        this.service = service;
        this.images = images;
        this.spectrumJob = new LatestJob<>(wb.runner(), fx, wb.errors());
        this.measureJob = new LatestJob<>(wb.runner(), fx, wb.errors());
        wb.layers().layerProperty().addListener((o, a, l) -> select(l));
        wb.workspaceProperty().addListener((o, a, ws) -> select(null));
        wb.editor().planProperty().addListener((o, a, p) -> inPlan.set(planText()));
        layer.addListener((o, a, v) -> inPlan.set(planText()));
        select(wb.layers().layer());
    }

    private void select(LayerInfo l) {
        spectrumJob.drop();
        measureJob.drop();
        spectrum.set(null);
        measurement.set(null);
        message.set("");
        rank.set(0);
        Workspace ws = wb.workspace();
        layer.set(l == null ? null : l.name());
        if (ws == null || l == null) {
            unavailable.set("Select a convolution or dense layer in the tree to factorize it.");
            modeText.set("");
            return;
        }
        String why = LowRankService.unavailableReason(ws, l.name());
        unavailable.set(why == null ? "" : capitalized(why) + ".");
        modeText.set(why == null ? LowRankService.modeText(ws, l.name()) : "");
        if (why != null) {
            return;
        }
        if (active) {
            loadSpectrum(ws, l.name());
        }
    }

    /**
     * Whether the panel is shown: while it is not, selecting a layer does not compute its singular
     * values (the engine thread stays free for previews); showing it computes them for the selection.
     */
    public void setActive(boolean on) {
        active = on;
        Workspace ws = wb.workspace();
        String name = layer.get();
        if (on && ws != null && name != null && unavailable.get().isEmpty() && spectrum.get() == null
                && !spectrumJob.isRunning()) {
            loadSpectrum(ws, name);
        }
    }

    private void loadSpectrum(Workspace ws, String name) {
        spectrumJob.start("Singular values of " + name, service.spectrum(ws, name), s -> {
            if (name.equals(layer.get()) && ws == wb.workspace()) {
                spectrum.set(s);
                rank.set(s.rankFor(START_ENERGY));
                message.set("");
            }
        });
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /** Sets the rank from the slider (clamped to 1..full rank). */
    public void setRank(int r) {
        LowRank.Spectrum s = spectrum.get();
        if (s == null) {
            return;
        }
        rank.set(Math.max(1, Math.min(s.fullRank(), r)));
        message.set("");
    }

    /**
     * Applies a typed rank.
     *
     * @return null if applied, else what is wrong (also shown as the panel's message)
     */
    public String enterRank(String text) {
        LowRank.Spectrum s = spectrum.get();
        if (s == null) {
            return problem("wait for the singular values of the layer");
        }
        int r;
        try {
            r = Integer.parseInt(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            return problem("'" + text + "' is not a rank: give a whole number from 1 to " + s.fullRank());
        }
        if (r < 1) {
            return problem("rank " + r + " keeps nothing of the layer: give a rank from 1 to " + s.fullRank());
        }
        if (r > s.fullRank()) {
            return problem("rank " + r + " is above this layer's full rank " + s.fullRank() + ": give 1 to "
                    + s.fullRank());
        }
        rank.set(r);
        message.set("");
        return null;
    }

    /**
     * Applies a typed energy share ("90%" or "0.9"): the smallest rank that keeps at least that much.
     *
     * @return null if applied, else what is wrong
     */
    public String enterEnergy(String text) {
        LowRank.Spectrum s = spectrum.get();
        if (s == null) {
            return problem("wait for the singular values of the layer");
        }
        String t = text == null ? "" : text.trim().replace(',', '.');
        double e;
        try {
            e = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
                    : Double.parseDouble(t);
        } catch (NumberFormatException ex) {
            return problem("'" + text + "' is not an energy share: give a percentage such as 90%");
        }
        if (!(e > 0 && e <= 1)) {
            return problem("an energy share must be above 0% and at most 100% (e.g. 90%)");
        }
        rank.set(s.rankFor(e));
        message.set("");
        return null;
    }

    private String problem(String text) {
        message.set(text);
        return text;
    }

    /**
     * Puts the current rank into the plan for this layer (one undoable edit): previewed with the rest of
     * the plan, fine-tuned as two smaller layers, exported as them.
     */
    public void putInPlan() {
        String name = layer.get();
        int r = rank.get();
        if (name == null || r < 1 || spectrum.get() == null) {
            return;
        }
        LowRank.Spectrum s = spectrum.get();
        if (s.breakEvenRank() >= 1 && r > s.breakEvenRank()) {
            message.set("rank " + r + " stores more weights than the layer itself: choose at most "
                    + s.breakEvenRank() + " to put it in the plan");
            return;
        }
        Plan p = wb.editor().plan();
        if (p.pruneOf(name).granularity() == io.lathe.compress.Granularity.CHANNEL && !p.pruneOf(name).isNone()) {
            message.set(name + " has channel pruning in the plan: channel pruning and low-rank are alternatives; "
                    + "set its granularity to element or block first");
            return;
        }
        message.set("");
        wb.editor().edit("Factorize " + name + " at rank " + r,
                p.with(name, p.settingsOf(name).withLowRank(LowRankSetting.rank(r))));
    }

    /** Removes this layer's factorization from the plan. */
    public void removeFromPlan() {
        String name = layer.get();
        if (name == null || wb.editor().plan().lowRankOf(name).isNone()) {
            return;
        }
        Plan p = wb.editor().plan();
        wb.editor().edit("Stop factorizing " + name, p.with(name, p.settingsOf(name).withLowRank(null)));
    }

    /** What the plan holds for this layer, in a sentence. */
    public String planText() {
        String name = layer.get();
        if (name == null) {
            return "";
        }
        LowRankSetting s = wb.editor().plan().lowRankOf(name);
        return s.isNone() ? "Not in the plan: " + name + " is not factorized."
                : "In the plan: " + name + " is factorized at " + s.describe() + " (its pruning and bits apply to both "
                + "factors).";
    }

    /** Measures the model with the selected layer factorized at the current rank (in the background). */
    public void measure() {
        Workspace ws = wb.workspace();
        String name = layer.get();
        LowRank.Spectrum s = spectrum.get();
        if (ws == null || name == null || !unavailable.get().isEmpty()) {
            problem("select a convolution or dense layer first");
            return;
        }
        if (s == null || rank.get() < 1) {
            problem("the singular values of " + name + " are still being computed; Measure once the curve shows");
            return;
        }
        if (ws.data() == null) {
            problem("open data that fits the model to measure: " + ws.dataProblem());
            return;
        }
        int r = rank.get();
        message.set("");
        measureJob.start("Measure low-rank " + name + " at rank " + r, service.measure(ws, name, r, images),
                measurement::set, t -> message.set("measurement failed: " + t.getMessage()), () -> { });
    }

    /** Stops a running measurement. */
    public void cancel() {
        measureJob.drop();
    }

    /** What the current rank costs, computed from the spectrum (no network run). */
    public String rankText() {
        LowRank.Spectrum s = spectrum.get();
        int r = rank.get();
        if (s == null || r < 1) {
            return "";
        }
        long w = s.paramsAt(r);
        String change = Formats.count(s.originalParams()) + " → " + Formats.count(w) + " weights ("
                + (w < s.originalParams() ? "−" + Formats.percent(1 - (double) w / s.originalParams(), 0)
                : "+" + Formats.percent((double) w / s.originalParams() - 1, 0)) + ")";
        return "rank " + r + " of " + s.fullRank() + " · " + Formats.percent(s.energy()[r - 1], 1) + " energy · "
                + change;
    }

    /** Expected duration of a measurement from the baseline's measured speed, or "" before it is known. */
    public String expectedText() {
        Workspace ws = wb.workspace();
        if (ws == null || ws.baseline() == null || ws.baseline().images() == 0 || ws.data() == null) {
            return "";
        }
        int n = Math.min(images, ws.data().validation().size());
        double perImage = ws.baseline().seconds() / ws.baseline().images();
        return "about " + Formats.duration(2 * n * perImage + 3) + " on " + Formats.count(n) + " validation images";
    }

    /** The images a measurement uses. */
    public int images() {
        return images;
    }

    public ReadOnlyStringProperty layerProperty() {
        return layer.getReadOnlyProperty();
    }

    /** Why the panel cannot factorize the selection, or "" when it can. */
    public ReadOnlyStringProperty unavailableProperty() {
        return unavailable.getReadOnlyProperty();
    }

    /** How the selected layer is factorized, in words. */
    public ReadOnlyStringProperty modeTextProperty() {
        return modeText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<LowRank.Spectrum> spectrumProperty() {
        return spectrum.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty rankProperty() {
        return rank.getReadOnlyProperty();
    }

    /** What the plan holds for the selection, in a sentence (see {@link #planText()}). */
    public ReadOnlyStringProperty inPlanProperty() {
        return inPlan.getReadOnlyProperty();
    }

    /** What is wrong with the last input or measurement, or "". */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The last measurement of this layer (its rank may differ from the current one), or null. */
    public ReadOnlyObjectProperty<LowRankService.Measurement> measurementProperty() {
        return measurement.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty measuringProperty() {
        return measureJob.runningProperty();
    }

    public ReadOnlyDoubleProperty fractionProperty() {
        return measureJob.fractionProperty();
    }

    public ReadOnlyStringProperty stageProperty() {
        return measureJob.messageProperty();
    }
}
