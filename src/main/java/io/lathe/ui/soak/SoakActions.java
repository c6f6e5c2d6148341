package io.lathe.ui.soak;

import io.lathe.compress.Granularity;
import io.lathe.model.TreeNode;
import io.lathe.session.Workspace;
import io.lathe.ui.ApplyScope;
import io.lathe.ui.JobRow;
import io.lathe.ui.SoakWindow;
import io.lathe.ui.WorkbenchModel;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Slider;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What a user does in the window, one verb per gesture, through the nodes (slider, buttons, text
 * field, tree rows) and view-model verbs the TestFX flows use. Every method runs on the FX thread and
 * returns at once; a verb that does not apply now (no layer selected, no workspace) does nothing and
 * returns false.
 */
final class SoakActions {
    private static final int[] BITS = {32, 16, 8, 6, 4, 3, 2};
    private static final int[] SHARE_BITS = {0, 2, 3, 4, 6, 8};
    private static final double[] SWEEP_SPARSITIES = {0.3, 0.5, 0.7, 0.9};
    private static final int[] SWEEP_BITS = {8, 4, 2};
    private final SoakWindow w;
    private final Random rnd;

    SoakActions(SoakWindow w, Random rnd) {
        this.w = w;
        this.rnd = rnd;
    }

    private WorkbenchModel model() {
        return w.model();
    }

    private <T extends Node> T node(String selector, Class<T> type) {
        Node n = w.scene().lookup(selector);
        return type.isInstance(n) ? type.cast(n) : null;
    }

    private List<TreeItem<TreeNode>> rows(boolean layers) {
        TreeTableView<TreeNode> tree = w.tree();
        List<TreeItem<TreeNode>> out = new ArrayList<>();
        if (tree.getRoot() != null) {
            collect(tree.getRoot(), layers, out);
        }
        return out;
    }

    private static void collect(TreeItem<TreeNode> item, boolean layers, List<TreeItem<TreeNode>> out) {
        TreeNode n = item.getValue();
        boolean leaf = n.layer() != null;
        if (leaf ? layers && n.layer().prunable() : !layers && n.level() != TreeNode.Level.MODEL) {
            out.add(item);
        }
        item.getChildren().forEach(c -> collect(c, layers, out));
    }

    private int show(TreeItem<TreeNode> item) {
        for (TreeItem<TreeNode> p = item.getParent(); p != null; p = p.getParent()) {
            p.setExpanded(true);
        }
        int row = w.tree().getRow(item);
        w.tree().scrollTo(row);
        return row;
    }

    /** Clicks a random prunable layer's row. */
    boolean selectLayer() {
        return selectOneOf(rows(true));
    }

    /** Clicks a random stage or block row (the panel then edits nothing; "apply to selection" copies to its layers). */
    boolean selectGroup() {
        return selectOneOf(rows(false));
    }

    private boolean selectOneOf(List<TreeItem<TreeNode>> candidates) {
        if (candidates.isEmpty()) {
            return false;
        }
        w.tree().getSelectionModel().clearAndSelect(show(candidates.get(rnd.nextInt(candidates.size()))));
        return true;
    }

    /** Ctrl-clicks two to four layer rows, the last one focused. */
    boolean multiSelect() {
        List<TreeItem<TreeNode>> layers = rows(true);
        if (layers.size() < 2) {
            return false;
        }
        var sel = w.tree().getSelectionModel();
        sel.clearSelection();
        int n = 2 + rnd.nextInt(Math.min(3, layers.size() - 1));
        for (int i = 0; i < n; i++) {
            sel.select(show(layers.get(rnd.nextInt(layers.size()))));
        }
        return true;
    }

    boolean hasLayer() {
        return model().layers().layer() != null;
    }

    /**
     * The positions a drag of the slider {@code selector} passes through, from where it is to a random
     * target (small ones more likely, as users try mild settings first), or null when the slider is not
     * usable now.
     */
    double[] dragPath(String selector, int steps) {
        Slider s = node(selector, Slider.class);
        if (s == null || s.isDisabled() || !(s.getMax() > s.getMin())) {
            return null;
        }
        double u = rnd.nextDouble();
        double target = s.getMin() + (s.getMax() - s.getMin()) * u * u;
        double[] path = new double[steps];
        for (int i = 0; i < steps; i++) {
            path[i] = s.getValue() + (target - s.getValue()) * (i + 1) / steps;
        }
        return path;
    }

    /** One step of a drag: the thumb is held ({@code valueChanging}) and moved to {@code value}. */
    void dragTo(String selector, double value) {
        Slider s = node(selector, Slider.class);
        if (s != null) {
            s.setValueChanging(true);
            s.setValue(value);
        }
    }

    /** Releases the slider's thumb. */
    void release(String selector) {
        Slider s = node(selector, Slider.class);
        if (s != null) {
            s.setValueChanging(false);
        }
    }

    /** Types a target sparsity such as "35%" into the threshold field and presses Enter. */
    boolean typeTarget() {
        TextField f = node("#threshold-field", TextField.class);
        if (f == null || !hasLayer()) {
            return false;
        }
        f.setText(String.format(Locale.ROOT, "%d%%", 5 * rnd.nextInt(19)));
        f.fireEvent(new ActionEvent());
        return true;
    }

    private boolean fire(String selector) {
        ButtonBase b = node(selector, ButtonBase.class);
        if (b == null || b.isDisabled()) {
            return false;
        }
        b.fire();
        return true;
    }

    /** Clicks one of the layer panel's bit-width buttons. */
    boolean bits() {
        return hasLayer() && fire("#bits-" + BITS[rnd.nextInt(BITS.length)]);
    }

    /** Clicks one of the layer panel's weight-sharing buttons. */
    boolean share() {
        return hasLayer() && fire("#share-" + SHARE_BITS[rnd.nextInt(SHARE_BITS.length)]);
    }

    /** Picks a granularity for the selected layer. */
    boolean granularity() {
        if (!hasLayer()) {
            return false;
        }
        model().layers().setGranularity(Granularity.values()[rnd.nextInt(Granularity.values().length)]);
        return true;
    }

    /** Picks the default bit width in the global strip. */
    boolean defaultBits() {
        model().setDefaultBits(BITS[rnd.nextInt(BITS.length)]);
        return model().workspace() != null;
    }

    /** Picks the default granularity in the global strip. */
    boolean defaultGranularity() {
        model().setDefaultGranularity(Granularity.values()[rnd.nextInt(Granularity.values().length)]);
        return model().workspace() != null;
    }

    boolean undo() {
        if (!model().editor().canUndoProperty().get()) {
            return false;
        }
        model().editor().undo();
        return true;
    }

    boolean redo() {
        if (!model().editor().canRedoProperty().get()) {
            return false;
        }
        model().editor().redo();
        return true;
    }

    /** Clicks "apply to" selection, block, stage or all in the layer panel. */
    boolean apply() {
        ApplyScope s = ApplyScope.values()[rnd.nextInt(ApplyScope.values().length)];
        return hasLayer() && fire("#apply-" + s.name().toLowerCase(Locale.ROOT));
    }

    /** Switches to a random chart tab. */
    boolean tab() {
        TabPane tabs = node("#chart-tabs", TabPane.class);
        if (tabs == null) {
            return false;
        }
        tabs.getSelectionModel().select(rnd.nextInt(tabs.getTabs().size()));
        return true;
    }

    /** Switches BatchNorm calibration of the plan on or off (on only when the data has training images). */
    boolean toggleCalibration() {
        Workspace ws = model().workspace();
        if (ws == null || model().editor().plan() == null) {
            return false;
        }
        boolean on = model().editor().plan().batchNormImages() > 0;
        if (!on && ws.bnImages() == 0) {
            return false;
        }
        model().setBatchNormCalibration(!on);
        return true;
    }

    /** Run → Measure latency (unless a measurement is running). */
    boolean measureLatency() {
        if (model().workspace() == null || model().measuringLatencyProperty().get()) {
            return false;
        }
        model().measureLatency();
        return true;
    }

    /** Starts a short sensitivity sweep: one sparsity level and one bit width on every prunable layer. */
    boolean startSweep() {
        var s = w.sensitivity();
        if (s.unavailableReason() != null || s.runningProperty().get()) {
            return false;
        }
        s.setLevels(new double[]{SWEEP_SPARSITIES[rnd.nextInt(SWEEP_SPARSITIES.length)]},
                new int[]{SWEEP_BITS[rnd.nextInt(SWEEP_BITS.length)]});
        TabPane tabs = node("#chart-tabs", TabPane.class);
        if (tabs != null) {
            tabs.getTabs().stream().filter(t -> "tab-sensitivity".equals(t.getId())).findFirst()
                    .ifPresent(t -> tabs.getSelectionModel().select(t));
        }
        s.run();
        return true;
    }

    /** The Sensitivity tab's Cancel button. */
    void cancelSweep() {
        w.sensitivity().cancel();
    }

    /** Starts an export to {@code folder} (ONNX fp32 now and then, INT8 rarely); false if it could not start. */
    boolean startExport(Path folder) {
        var e = w.export();
        if (e.unavailableReason() != null || e.runningProperty().get()) {
            return false;
        }
        e.onnxProperty().set(rnd.nextInt(3) == 0);
        e.int8Property().set(rnd.nextInt(4) == 0);
        e.folderProperty().set(folder);
        return e.export(false) == null;
    }

    /** The Export dialog's "Cancel export" button. */
    void cancelExport() {
        w.export().cancel();
    }

    void showExportDialog() {
        w.showExportDialog();
    }

    /** Closes the Export dialog if it is open. */
    void closeExportDialog() {
        for (Window win : List.copyOf(Window.getWindows())) {
            if (win instanceof Stage st && "Export — Lathe".equals(st.getTitle())) {
                st.close();
            }
        }
    }

    /** Clicks Cancel on a random running or waiting job in the jobs area; its title, or null if none. */
    String cancelJob() {
        List<JobRow> live = w.jobs().rows().stream().filter(r -> !r.finished()).toList();
        if (live.isEmpty()) {
            return null;
        }
        JobRow r = live.get(rnd.nextInt(live.size()));
        r.cancel();
        return r.title();
    }

    /** Clicks Cancel on every running or waiting job; how many. */
    int cancelAll() {
        List<JobRow> live = w.jobs().rows().stream().filter(r -> !r.finished()).toList();
        live.forEach(JobRow::cancel);
        return live.size();
    }

    /** Cancels the unfinished job with this title, if any. */
    boolean cancelJob(String title) {
        for (JobRow r : w.jobs().rows()) {
            if (!r.finished() && r.title().equals(title)) {
                r.cancel();
                return true;
            }
        }
        return false;
    }

    /** True while any job is queued or running. */
    boolean busy() {
        return w.jobs().busyBinding().get();
    }

    /** Closes the error dialogs the window opened (the failure log has them already); how many. */
    int closeErrorDialogs() {
        int n = 0;
        for (Window win : List.copyOf(Window.getWindows())) {
            if (win instanceof Stage st && st.getScene() != null && st.getScene().getRoot() instanceof DialogPane) {
                st.close();
                n++;
            }
        }
        return n;
    }
}
