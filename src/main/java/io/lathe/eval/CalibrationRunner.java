package io.lathe.eval;

import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchNorm calibration for a sequence of edited networks, as the live preview makes them: the
 * training-mode activations of the calibration images are cached at the network's cut points, and
 * after an edit only the network after the last cut before the edited layers is run again. In
 * training mode every BatchNorm normalises with its batch's own statistics, so these activations
 * depend on the weights alone, never on the running statistics being estimated; an edit of layer X
 * therefore leaves every activation and every statistic before X as it was.
 *
 * <p>The statistics equal {@link BnReestimator#estimate} on the same images from the network input
 * (same batches, same pooled sums: see {@link BnReestimator.Accumulator}); the preview tests check
 * it. Engine thread only.
 */
final class CalibrationRunner implements AutoCloseable {
    private final LabeledImages images;
    private final CutPoints cuts;
    private final ActivationCache cache;
    private final List<String> batchNorms;
    private final Map<String, String> feedOf = new LinkedHashMap<>();
    private final Map<String, SuffixGraph> suffixes = new HashMap<>();
    private final Map<String, BnReestimator.Stats> known = new HashMap<>();
    private final int batches;

    /**
     * @param reference   the network the first estimate is asked for (its structure; weights are read per call)
     * @param images      the calibration images (the first N training images)
     * @param budgetBytes the most the cached activations may hold
     */
    CalibrationRunner(ComputationGraph reference, LayerTree tree, LabeledImages images, long budgetBytes) {
        this.images = images;
        this.cuts = CutPoints.of(reference);
        this.batches = (images.size() + BnReestimator.BATCH - 1) / BnReestimator.BATCH;
        this.batchNorms = BnReestimator.allBatchNorms(tree);
        for (String bn : batchNorms) {
            List<String> in = reference.getConfiguration().getVertexInputs().get(bn);
            if (in == null || in.size() != 1) {
                throw new IllegalArgumentException("'" + bn + "' is not a single-input BatchNorm layer");
            }
            feedOf.put(bn, in.get(0));
        }
        Map<String, Long> floats = new HashMap<>();
        for (LayerInfo l : tree.layers()) {
            floats.put(l.name(), Math.max(1, l.outChannels()) * Math.max(1, l.outHeight()) * Math.max(1, l.outWidth()));
        }
        this.cache = ActivationCache.choose(cuts, tree, floats, images.size(), batches, budgetBytes);
    }

    /** Number of calibration images. */
    int images() {
        return images.size();
    }

    /**
     * Records that the weights of {@code layers} changed (BatchNorm running statistics do not count:
     * training-mode passes never read them). Activations and statistics after them become stale.
     */
    void weightsChanged(Collection<String> layers) {
        if (layers.isEmpty()) {
            return;
        }
        List<String> kept = cache.kept();
        boolean[] affected = new boolean[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            for (String l : layers) {
                affected[k] |= l.equals(kept.get(k)) || cuts.dependsOn(kept.get(k), l);
            }
        }
        cache.referenceChanged(affected);
        known.keySet().removeIf(bn -> layers.stream().anyMatch(l -> l.equals(bn) || cuts.dependsOn(bn, l)));
    }

    /**
     * Pooled statistics of {@code wanted} BatchNorm layers in {@code net}, whose weights must be what the
     * calls to {@link #weightsChanged} describe. Runs only from the latest cut whose cached activations are
     * still valid; every BatchNorm after it gets fresh statistics on the way. {@code net} is not changed.
     */
    Map<String, BnReestimator.Stats> estimate(ComputationGraph net, Collection<String> wanted, Progress progress) {
        List<String> missing = wanted.stream().filter(bn -> !known.containsKey(bn)).toList();
        if (!missing.isEmpty()) {
            run(net, missing, progress);
        }
        Map<String, BnReestimator.Stats> out = new LinkedHashMap<>();
        for (String bn : wanted) {
            out.put(bn, known.get(bn));
        }
        return out;
    }

    private void run(ComputationGraph net, List<String> missing, Progress progress) {
        List<String> kept = cache.kept();
        List<String> valid = new ArrayList<>();
        for (int k = 0; k < kept.size(); k++) {
            if (validForAllBatches(k)) {
                valid.add(kept.get(k));
            }
        }
        List<String> feeds = missing.stream().map(feedOf::get).toList();
        String start = cuts.latestBefore(valid, feeds);
        SuffixGraph g = suffixes.computeIfAbsent(start, s -> SuffixGraph.build(net, cuts, s, outputsAfter(s)));
        g.copyParams(net);
        List<String> outs = g.outputs();
        int startIndex = kept.indexOf(start);
        List<String> after = bnsAfter(start);
        Map<String, BnReestimator.Accumulator> acc = new LinkedHashMap<>();
        for (String bn : after) {
            acc.put(bn, new BnReestimator.Accumulator());
        }
        for (int b = 0; b < batches; b++) {
            progress.checkCancelled();
            int from = b * BnReestimator.BATCH;
            int to = Math.min(images.size(), from + BnReestimator.BATCH);
            INDArray x = startIndex < 0 ? Batches.features(images, from, to) : cache.get(startIndex, b);
            INDArray[] result = g.runTraining(x);
            for (String bn : after) {
                acc.get(bn).add(result[outs.indexOf(feedOf.get(bn))]);
            }
            for (int k = startIndex + 1; k < kept.size(); k++) {
                cache.put(k, b, result[outs.indexOf(kept.get(k))].dup());
            }
            progress.update((double) to / images.size(), "calibrating BatchNorm: " + to + " / " + images.size()
                    + " training images");
        }
        acc.forEach((bn, a) -> known.put(bn, a.stats()));
    }

    private boolean validForAllBatches(int k) {
        for (int b = 0; b < batches; b++) {
            if (!cache.valid(k, b)) {
                return false;
            }
        }
        return true;
    }

    /** The BatchNorm layers whose input is computed after {@code start}. */
    private List<String> bnsAfter(String start) {
        return batchNorms.stream().filter(bn -> start.equals(cuts.input()) || cuts.dependsOn(feedOf.get(bn), start))
                .toList();
    }

    /** Extra outputs of the suffix from {@code start}: the inputs of the BatchNorms after it, and the later cuts. */
    private List<String> outputsAfter(String start) {
        Set<String> out = new LinkedHashSet<>();
        for (String bn : bnsAfter(start)) {
            out.add(feedOf.get(bn));
        }
        List<String> kept = cache.kept();
        for (int k = kept.indexOf(start) + 1; k < kept.size(); k++) {
            out.add(kept.get(k));
        }
        return new ArrayList<>(out);
    }

    /** Releases the cached activations. */
    @Override
    public void close() {
        cache.clear();
        known.clear();
    }
}
