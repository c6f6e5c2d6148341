package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.compress.ShareSetting;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import io.lathe.model.TreeNode;
import io.lathe.session.WeightTable;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayList;
import java.util.List;

/**
 * The selected layer's settings as the layer panel shows and edits them: threshold and sparsity kept
 * in sync through the original weights, granularity, bits, weight sharing, lock, and copying the
 * settings to the selection, block, stage or every layer. Every change goes through the {@link PlanEditor} as an
 * undoable edit; a hand-edited layer is locked so global changes and copies leave it alone. FX thread.
 */
public final class LayerEditor {
    private final PlanEditor editor;
    private final ReadOnlyObjectWrapper<LayerInfo> layer = new ReadOnlyObjectWrapper<>(this, "layer");
    private final ReadOnlyDoubleWrapper threshold = new ReadOnlyDoubleWrapper(this, "threshold");
    private final ReadOnlyDoubleWrapper sparsity = new ReadOnlyDoubleWrapper(this, "sparsity");
    private final ReadOnlyDoubleWrapper maxThreshold = new ReadOnlyDoubleWrapper(this, "maxThreshold", 1);
    private final ReadOnlyObjectWrapper<Granularity> granularity = new ReadOnlyObjectWrapper<>(this, "granularity",
            Granularity.ELEMENT);
    private final ReadOnlyIntegerWrapper bits = new ReadOnlyIntegerWrapper(this, "bits", 32);
    private final ReadOnlyIntegerWrapper shareBits = new ReadOnlyIntegerWrapper(this, "shareBits", 0);
    private final ReadOnlyBooleanWrapper perChannel = new ReadOnlyBooleanWrapper(this, "perChannel", true);
    private final ReadOnlyBooleanWrapper locked = new ReadOnlyBooleanWrapper(this, "locked");
    private final ReadOnlyBooleanWrapper overridden = new ReadOnlyBooleanWrapper(this, "overridden");
    private final ReadOnlyBooleanWrapper sparsityTarget = new ReadOnlyBooleanWrapper(this, "sparsityTarget");
    private final ReadOnlyStringWrapper targetText = new ReadOnlyStringWrapper(this, "targetText", "");
    private final ReadOnlyObjectWrapper<WeightTable.Histogram> histogram = new ReadOnlyObjectWrapper<>(this, "histogram");
    private LayerTree tree;
    private WeightTable weights;
    private List<String> selection = List.of();
    private LayerInfo shownLayer;

    public LayerEditor(PlanEditor editor) {
        this.editor = editor;
        editor.planProperty().addListener((o, a, b) -> refresh());
    }

    /** Switches to another model's layers; nothing is selected afterwards. */
    public void setModel(LayerTree newTree, WeightTable newWeights) {
        tree = newTree;
        weights = newWeights;
        selection = List.of();
        layer.set(null);
        refresh();
    }

    /**
     * Selects layers: {@code primary} is edited by the panel (null: none, e.g. a block row), and
     * {@code all} is what "apply to the selection" copies to.
     */
    public void select(String primary, List<String> all) {
        selection = List.copyOf(all);
        LayerInfo info = primary == null || tree == null ? null : tree.layer(primary);
        layer.set(info != null && info.prunable() ? info : null);
        refresh();
    }

    /** One step of dragging the threshold slider (merged into one edit until {@link #release()}). */
    public void dragThreshold(double t) {
        LayerInfo l = layer.get();
        if (l == null) {
            return;
        }
        PruneSetting p = currentPrune(l.name()).withThreshold(Math.max(0, t));
        editor.drag("Set threshold of " + l.name(), withPrune(l.name(), p));
    }

    /** Ends a slider drag: the edit is committed and previewed at once. */
    public void release() {
        editor.endDrag();
    }

    /**
     * Applies typed text: "70%" is a target sparsity, a plain number an absolute threshold.
     *
     * @return null if applied, else what is wrong with the text
     */
    public String enterTarget(String text) {
        LayerInfo l = layer.get();
        if (l == null) {
            return "select a layer first";
        }
        String t = text == null ? "" : text.trim().replace(',', '.');
        try {
            if (t.endsWith("%")) {
                double s = Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100;
                if (!(s >= 0 && s < 1)) {
                    return "a target sparsity must be from 0% to below 100%";
                }
                editor.edit("Set sparsity of " + l.name() + " to " + Formats.percent(s, 1),
                        withPrune(l.name(), currentPrune(l.name()).withSparsity(s)));
                return null;
            }
            double v = Double.parseDouble(t);
            if (!(v >= 0) || Double.isInfinite(v)) {
                return "a threshold must be a number of 0 or more";
            }
            if (v >= 1 && weights.sparsityAt(l.name(), currentPrune(l.name()), v) >= 1) {
                return "threshold " + Formats.number(v) + " would remove every weight of " + l.name()
                        + "; for a target sparsity type it with %, e.g. " + Formats.number(Math.min(v, 99)) + "%";
            }
            editor.edit("Set threshold of " + l.name() + " to " + Formats.number(v),
                    withPrune(l.name(), currentPrune(l.name()).withThreshold(v)));
            return null;
        } catch (NumberFormatException e) {
            return "'" + text + "' is neither a threshold (e.g. 0.02) nor a sparsity (e.g. 70%)";
        }
    }

    /** Changes granularity, keeping the fraction removed. */
    public void setGranularity(Granularity g) {
        LayerInfo l = layer.get();
        if (l == null || g == granularity.get()) {
            return;
        }
        PruneSetting p = currentPrune(l.name());
        double s = weights.sparsityOf(l.name(), p);
        editor.edit("Set granularity of " + l.name() + " to " + g.key(),
                withPrune(l.name(), p.withGranularity(g).withSparsity(Math.min(s, 0.999))));
    }

    /** Sets the bit width (32 = off, 16 = FP16, 8..2 = integer); weight sharing, if on, goes off. */
    public void setBits(int b) {
        LayerInfo l = layer.get();
        if (l == null || b == bits.get()) {
            return;
        }
        Plan plan = editor.plan();
        QuantSetting q = plan.quantOf(l.name()).withBits(b);
        Plan next = withQuant(l.name(), q);
        if (!plan.shareOf(l.name()).isNone()) {
            next = next.with(l.name(), next.settingsOf(l.name())
                    .withShare(plan.defaultShare().isNone() ? null : ShareSetting.NONE));
        }
        editor.edit("Set " + l.name() + " to " + b + " bits", next);
    }

    /**
     * Sets weight sharing: {@code 2^b} shared values found by k-means on the layer's non-zero weights
     * ({@code b} = 1..8), or 0 for off. Sharing replaces the layer's own bit width, so a layer that
     * had one follows the default bits again (a plan file may not give a layer both).
     */
    public void setShare(int b) {
        LayerInfo l = layer.get();
        if (l == null || b == shareBits.get()) {
            return;
        }
        Plan plan = editor.plan();
        LayerSettings s = plan.settingsOf(l.name());
        if (b == 0) {
            s = s.withShare(plan.defaultShare().isNone() ? null : ShareSetting.NONE);
        } else {
            s = s.withShare(ShareSetting.bits(b));
            if (s.quant() != null && !s.quant().isNone()) {
                s = s.withQuant(null);
            }
        }
        editor.edit(b == 0 ? "Stop sharing weights of " + l.name()
                : "Share " + l.name() + "'s weights among " + (1 << b) + " values", plan.with(l.name(),
                s.withLocked(true)));
    }

    /** Switches per-channel scales on or off. */
    public void setPerChannel(boolean on) {
        LayerInfo l = layer.get();
        if (l == null || on == perChannel.get()) {
            return;
        }
        QuantSetting old = editor.plan().quantOf(l.name());
        editor.edit((on ? "Per-channel" : "Per-tensor") + " scales for " + l.name(),
                withQuant(l.name(), new QuantSetting(old.bits(), on, old.symmetric())));
    }

    /** Locks or unlocks the layer against global changes and copies. */
    public void setLocked(boolean on) {
        LayerInfo l = layer.get();
        if (l == null || on == locked.get()) {
            return;
        }
        Plan p = editor.plan();
        editor.edit((on ? "Lock " : "Unlock ") + l.name(), p.with(l.name(), p.settingsOf(l.name()).withLocked(on)));
    }

    /** Drops the layer's own settings: it follows the global defaults again. */
    public void reset() {
        LayerInfo l = layer.get();
        if (l == null) {
            return;
        }
        editor.edit("Reset " + l.name(), editor.plan().with(l.name(), LayerSettings.INHERIT));
    }

    /**
     * Copies this layer's fraction removed, granularity, bits and weight sharing to the layers in
     * {@code scope} (skipping locked ones) as one edit.
     *
     * @return what happened, in a sentence
     */
    public String applyTo(ApplyScope scope) {
        LayerInfo l = layer.get();
        if (l == null) {
            return "select a layer first";
        }
        Plan plan = editor.plan();
        PruneSetting p = currentPrune(l.name());
        PruneSetting copy = p.withSparsity(Math.min(0.999, weights.sparsityOf(l.name(), p)));
        ShareSetting sh = plan.shareOf(l.name());
        QuantSetting q = sh.isNone() ? plan.quantOf(l.name()) : null;
        ShareSetting shCopy = sh.equals(plan.defaultShare()) ? null : sh;
        int applied = 0;
        int skipped = 0;
        Plan next = plan;
        for (String target : targets(scope, l.name())) {
            if (target.equals(l.name())) {
                continue;
            }
            if (plan.isLocked(target)) {
                skipped++;
                continue;
            }
            next = next.with(target, new LayerSettings(copy, q, false, shCopy, plan.settingsOf(target).lowRank(), null));
            applied++;
        }
        editor.edit("Apply " + l.name() + "'s settings to " + scope.phrase() + " (" + applied + " layers)", next);
        return "Applied to " + applied + " layer" + (applied == 1 ? "" : "s")
                + (skipped > 0 ? "; skipped " + skipped + " locked" : "") + ".";
    }

    private List<String> targets(ApplyScope scope, String name) {
        List<String> out = new ArrayList<>();
        switch (scope) {
            case SELECTION -> out.addAll(selection);
            case BLOCK -> {
                TreeNode b = tree.blockOf(name);
                collect(b != null ? b : tree.stageOf(name), out);
            }
            case STAGE -> collect(tree.stageOf(name), out);
            case ALL -> tree.prunableLayers().forEach(i -> out.add(i.name()));
        }
        out.removeIf(n -> tree.layer(n) == null || !tree.layer(n).prunable());
        return out;
    }

    private static void collect(TreeNode node, List<String> out) {
        if (node != null) {
            node.layers().forEach(i -> out.add(i.name()));
        }
    }

    private PruneSetting currentPrune(String name) {
        return editor.plan().pruneOf(name);
    }

    private Plan withPrune(String name, PruneSetting p) {
        Plan plan = editor.plan();
        return plan.with(name, plan.settingsOf(name).withPrune(p).withLocked(true));
    }

    private Plan withQuant(String name, QuantSetting q) {
        Plan plan = editor.plan();
        return plan.with(name, plan.settingsOf(name).withQuant(q).withLocked(true));
    }

    private void refresh() {
        LayerInfo l = layer.get();
        Plan plan = editor.plan();
        if (l == null || plan == null || weights == null || !weights.has(l.name())) {
            histogram.set(null);
            targetText.set("");
            return;
        }
        PruneSetting p = plan.pruneOf(l.name());
        QuantSetting q = plan.quantOf(l.name());
        double s = weights.sparsityOf(l.name(), p);
        double t = p.threshold() != null ? p.threshold() : weights.thresholdFor(l.name(), p, p.sparsity());
        double max = weights.maxImportance(l.name(), p);
        if (granularity.get() != p.granularity() || histogram.get() == null || maxThreshold.get() != max
                || !l.equals(shownLayer)) {
            histogram.set(weights.histogram(l.name(), p, 60, max));
        }
        shownLayer = l;
        maxThreshold.set(max);
        granularity.set(p.granularity());
        threshold.set(t);
        sparsity.set(s);
        sparsityTarget.set(p.sparsity() != null);
        targetText.set(p.sparsity() != null ? Formats.percent(p.sparsity(), 1) : Formats.number(t));
        bits.set(q.bits());
        perChannel.set(q.perChannel());
        shareBits.set(plan.shareOf(l.name()).bits());
        locked.set(plan.isLocked(l.name()));
        overridden.set(plan.layers().containsKey(l.name()));
    }

    /** The threshold a target sparsity reaches on the selected layer (for the slider while typing). */
    public double thresholdForSparsity(double s) {
        LayerInfo l = layer.get();
        return l == null ? 0 : weights.thresholdFor(l.name(), currentPrune(l.name()), s);
    }

    /** The fraction a threshold removes on the selected layer. */
    public double sparsityAtThreshold(double t) {
        LayerInfo l = layer.get();
        return l == null ? 0 : weights.sparsityAt(l.name(), currentPrune(l.name()), t);
    }

    public ReadOnlyObjectProperty<LayerInfo> layerProperty() {
        return layer.getReadOnlyProperty();
    }

    public LayerInfo layer() {
        return layer.get();
    }

    public List<String> selection() {
        return selection;
    }

    public ReadOnlyDoubleProperty thresholdProperty() {
        return threshold.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty sparsityProperty() {
        return sparsity.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty maxThresholdProperty() {
        return maxThreshold.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Granularity> granularityProperty() {
        return granularity.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty bitsProperty() {
        return bits.getReadOnlyProperty();
    }

    /** Index bits of the layer's weight sharing ({@code 2^bits} shared values), 0 when off. */
    public ReadOnlyIntegerProperty shareBitsProperty() {
        return shareBits.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty perChannelProperty() {
        return perChannel.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty lockedProperty() {
        return locked.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty overriddenProperty() {
        return overridden.getReadOnlyProperty();
    }

    /** True when the layer's pruning is a target sparsity rather than a threshold. */
    public ReadOnlyBooleanProperty sparsityTargetProperty() {
        return sparsityTarget.getReadOnlyProperty();
    }

    /** The text field's content: "70.0%" for a sparsity target, the threshold otherwise. */
    public ReadOnlyStringProperty targetTextProperty() {
        return targetText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WeightTable.Histogram> histogramProperty() {
        return histogram.getReadOnlyProperty();
    }
}
