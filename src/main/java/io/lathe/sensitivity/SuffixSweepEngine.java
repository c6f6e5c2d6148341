package io.lathe.sensitivity;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.PlanApplier;
import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.eval.InferenceGraph;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lathe's fast, exact sweep engine. Only one layer changes per variant, so:
 * <ul>
 *   <li>the activations entering the cut before that layer (its input, and any residual branch that
 *       jumps over it) are computed once per layer with the original weights and reused for all its
 *       variants; only the network from the changed layer on is re-run per variant;</li>
 *   <li>sweeping layers in network order, the cut activations of the next layer are obtained by
 *       advancing the previous layer's ones through the few vertices in between, so the prefix costs
 *       one network pass over the whole sweep rather than one per layer;</li>
 *   <li>a variant whose weights equal the original (sparsity 0, 32 bits) takes the unchanged
 *       network's predictions, computed once;</li>
 *   <li>only the changed layer's weights (and its BatchNorm for channel pruning) are written into one
 *       working copy and restored afterwards.</li>
 * </ul>
 * Cut activations are kept for as many images as {@code memoryBudgetBytes} allows; beyond that the
 * images are processed in chunks whose prefix is recomputed per layer. Batches are the same as the
 * naive engine's ({@link Predictor} with the same batch size), and the walk runs the same
 * {@link InferenceGraph} the predictor does (BatchNorm folded), so every vertex computes the same numbers
 * on the same inputs and the predictions are identical. Engine thread only.
 */
public final class SuffixSweepEngine implements SweepEngine {
    private final PlanApplier applier;
    private final LabeledImages images;
    private final int batch;
    private final long memoryBudgetBytes;
    private final ComputationGraph work;
    private final InferenceGraph inference;
    private final GraphWalk walk;
    private int[] baseline;
    private int cachedCut = -1;
    private List<Map<Integer, INDArray>> cached;

    public SuffixSweepEngine(PlanApplier applier, LabeledImages images, int batch, long memoryBudgetBytes) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batch);
        }
        this.applier = applier;
        this.images = images;
        this.batch = batch;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.work = applier.model().copyGraph();
        this.inference = InferenceGraph.of(work);
        this.walk = new GraphWalk(inference.network());
    }

    @Override
    public int[] baseline(Progress progress) {
        if (baseline == null) {
            baseline = Predictor.predict(work, images, batch, applier.model().channelsLast(), progress);
        }
        return baseline.clone();
    }

    @Override
    public void run(String layer, List<CompressedLayer> variants, VariantSink sink, Progress progress) {
        int cut = walk.positionOf(inference.vertexFor(layer));
        int n = images.size();
        int batches = (n + batch - 1) / batch;
        boolean[] needed = new boolean[variants.size()];
        int toRun = 0;
        for (int v = 0; v < variants.size(); v++) {
            needed[v] = !Variants.isOriginal(applier, variants.get(v));
            toRun += needed[v] ? 1 : 0;
        }
        if (toRun < variants.size() && baseline == null) {
            baseline(Progress.none());
        }
        int[][] pred = new int[variants.size()][];
        boolean stopped = false;
        int delivered = 0;
        try {
            int chunkStart = 0;
            while (chunkStart < batches && !stopped) {
                List<Map<Integer, INDArray>> frontier = frontiers(cut, chunkStart, batches, progress);
                boolean whole = chunkStart == 0 && frontier.size() == batches;
                int ran = 0;
                for (int v = 0; v < variants.size() && !stopped; v++) {
                    if (pred[v] == null) {
                        pred[v] = new int[n];
                    }
                    if (needed[v]) {
                        write(variants.get(v));
                        for (int b = 0; b < frontier.size(); b++) {
                            progress.checkCancelled();
                            int from = (chunkStart + b) * batch;
                            walk.predict(frontier.get(b), cut, pred[v], from);
                        }
                        ran++;
                        progress.update((chunkStart + (double) frontier.size() * ran / Math.max(1, toRun)) / batches,
                                layer + ": variant " + (v + 1) + " of " + variants.size());
                    } else {
                        System.arraycopy(baseline, chunkStart * batch, pred[v], chunkStart * batch,
                                Math.min(n, (chunkStart + frontier.size()) * batch) - chunkStart * batch);
                    }
                    if (whole) {
                        delivered = v + 1;
                        stopped = !sink.accept(v, pred[v]);
                    }
                }
                write(Variants.original(applier, layer));
                if (whole) {
                    cached = frontier;
                    cachedCut = cut;
                } else {
                    cached = null;
                    cachedCut = -1;
                }
                chunkStart += frontier.size();
            }
            for (int v = delivered; v < variants.size() && !stopped; v++) {
                stopped = !sink.accept(v, pred[v]);
            }
        } finally {
            write(Variants.original(applier, layer));
        }
    }

    /**
     * Cut activations for batches from {@code first} on, as many as the memory budget allows (at least
     * one): advanced from the previous layer's cut when that one is cached and earlier, else from the input.
     */
    private List<Map<Integer, INDArray>> frontiers(int cut, int first, int batches, Progress progress) {
        List<Map<Integer, INDArray>> out = new ArrayList<>();
        boolean reuse = cached != null && cachedCut <= cut && first == 0 && cached.size() == batches;
        long bytes = 0;
        for (int b = first; b < batches; b++) {
            progress.checkCancelled();
            Map<Integer, INDArray> f;
            if (reuse) {
                f = cachedCut == cut ? cached.get(b) : walk.advance(cached.get(b), cachedCut, cut);
                cached.set(b, null);
            } else {
                int from = b * batch;
                int to = Math.min(images.size(), from + batch);
                f = walk.advance(walk.start(features(from, to)), 0, cut);
            }
            out.add(f);
            bytes += bytes(f);
            if (!reuse && bytes > memoryBudgetBytes) {
                break;
            }
        }
        if (reuse) {
            cached = null;
            cachedCut = -1;
        }
        return out;
    }

    /** Writes a variant into the working copy and the inference graph the walk runs. */
    private void write(CompressedLayer l) {
        applier.write(work, l);
        inference.copyParams(work);
    }

    private INDArray features(int from, int to) {
        INDArray x = Batches.features(images, from, to);
        return inference.input(applier.model().channelsLast() ? x.permute(0, 2, 3, 1).dup('c') : x);
    }

    private static long bytes(Map<Integer, INDArray> acts) {
        long b = 0;
        for (INDArray a : acts.values()) {
            b += a.length() * a.dataType().width();
        }
        return b;
    }

    @Override
    public String name() {
        return "suffix";
    }
}
