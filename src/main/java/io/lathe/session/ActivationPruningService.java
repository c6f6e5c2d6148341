package io.lathe.session;

import io.lathe.data.LabeledImages;
import io.lathe.eval.Evaluator;
import io.lathe.job.Job;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.structure.ActivationPruning;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Activation pruning for the workbench: finds the ReLU that a selected convolution or dense layer
 * feeds (through its BatchNorm and the residual add), and measures, on a bounded number of validation
 * images, that ReLU's activation sparsity and the model's accuracy without and with a threshold below
 * which its outputs are set to zero. Plain Lathe types only; jobs run on the engine thread.
 */
public final class ActivationPruningService {
    /** Share of the ReLU's outputs a threshold at the slider's end would zero (its range). */
    static final double RANGE_QUANTILE = 0.99;

    /**
     * What one measurement found.
     *
     * @param relu           the ReLU layer thresholded
     * @param threshold      the threshold applied
     * @param images         validation images measured
     * @param sparsityBefore fraction of the ReLU's outputs that are zero without the threshold
     * @param sparsityAfter  fraction with it
     * @param top1Before     the unchanged model's top-1 on those images
     * @param top1After      top-1 with the threshold
     * @param rangeMax       the ReLU output value below which {@value #RANGE_QUANTILE} of its outputs lie
     */
    public record Measurement(String relu, double threshold, int images, double sparsityBefore, double sparsityAfter,
                              double top1Before, double top1After, double rangeMax) {
    }

    /**
     * The ReLU activation layer {@code layer}'s output reaches first through BatchNorm and add
     * vertices only (e.g. {@code conv1 → bn1 → relu1}, {@code conv2 → bn2 → add → relu2}), or null.
     */
    public String reluAfter(Workspace ws, String layer) {
        LayerTree tree = ws.tree();
        if (layer == null || tree.layer(layer) == null) {
            return null;
        }
        Set<String> relus = new HashSet<>(ActivationPruning.targets(ws.model(), tree));
        Deque<String> queue = new ArrayDeque<>(List.of(layer));
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (LayerInfo c : consumers(tree, v)) {
                if (relus.contains(c.name())) {
                    return c.name();
                }
                if ((c.kind() == LayerKind.BATCH_NORM || c.kind() == LayerKind.ADD) && seen.add(c.name())) {
                    queue.add(c.name());
                }
            }
        }
        return null;
    }

    private static List<LayerInfo> consumers(LayerTree tree, String vertex) {
        List<LayerInfo> out = new ArrayList<>();
        for (LayerInfo l : tree.layers()) {
            if (l.inputs().contains(vertex)) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * Measures {@code relu} without and with {@code threshold} on the first {@code images} validation
     * images, as a cancellable job.
     */
    public Job<Measurement> measure(Workspace ws, String relu, double threshold, int images) {
        if (ws.data() == null) {
            throw new IllegalStateException(ws.dataProblem());
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("an activation threshold must be a number of 0 or more, got "
                    + threshold);
        }
        if (images < 1) {
            throw new IllegalArgumentException("measure on at least one image, got " + images);
        }
        LoadedModel m = ws.model();
        LabeledImages val = ws.data().validation().limit(images);
        return progress -> {
            progress.update(0, "thresholding " + relu);
            ComputationGraph pruned = ActivationPruning.apply(m, ws.tree(), Map.of(relu, threshold));
            List<String> layers = List.of(relu);
            double before = ActivationPruning.sparsity(m.graph(), val, layers, progress.range(0, 0.2)).get(relu);
            double after = ActivationPruning.sparsity(pruned, val, layers, progress.range(0.2, 0.4)).get(relu);
            progress.update(0.4, "accuracy without the threshold");
            double top1Before = Evaluator.evaluate(m.graph(), m, val, progress.range(0.4, 0.6)).top1();
            progress.update(0.6, "accuracy with the threshold");
            double top1After = Evaluator.evaluate(pruned, m, val, progress.range(0.6, 0.8)).top1();
            progress.update(0.8, "range of " + relu + "'s outputs");
            double range = ActivationPruning.thresholdFor(m.graph(), val, relu, RANGE_QUANTILE);
            progress.update(1, "done");
            return new Measurement(relu, threshold, val.size(), before, after, top1Before, top1After, range);
        };
    }
}
