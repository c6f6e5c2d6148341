package io.lathe.eval;

import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Predicts with a modified copy of a model by re-running only the network after the last cut point
 * before its changed layers. Cut points are single-tensor boundaries found from the graph's
 * structure (see {@link CutPoints}); the reference network's activations there are cached in float32
 * for the evaluation images (within a memory budget; cuts that do not fit fall back to an earlier
 * cut or the network input). The reference network is the model's original one, unless
 * {@link #predictAndAdopt} made a modified network the new reference (what the live preview does).
 *
 * <p>Results equal running the whole modified network with {@link Predictor} on the same images:
 * images are run in batches of {@link Predictor#DEFAULT_BATCH} in the same order, the cached
 * activations are the exact float32 values the full network computes, and the suffix runs the
 * same layer implementations on them. Engine thread only (DL4J networks are not thread-safe).
 */
public final class SuffixRunner implements AutoCloseable {
    /** Receives the predictions after each batch: images done so far (in the images' order). */
    @FunctionalInterface
    public interface BatchListener {
        void batchDone(int imagesDone, int[] predictions);
    }

    private final LoadedModel model;
    private final LabeledImages images;
    private final CutPoints cuts;
    private final ActivationCache cache;
    private final int batch = Predictor.DEFAULT_BATCH;
    private final int batches;
    private final Map<String, SuffixGraph> suffixes = new HashMap<>();
    private ComputationGraph referenceNetwork;
    private final int[] referencePredictions;
    private final boolean[] referenceValid;
    private boolean closed;

    public SuffixRunner(LoadedModel model, LayerTree tree, LabeledImages images, long memoryBudgetBytes) {
        Evaluator.checkShape(model, images);
        this.model = model;
        this.images = images;
        this.cuts = CutPoints.of(model.graph());
        this.batches = (images.size() + batch - 1) / batch;
        Map<String, Long> floats = new HashMap<>();
        for (LayerInfo l : tree.layers()) {
            floats.put(l.name(), Math.max(1, l.outChannels()) * Math.max(1, l.outHeight()) * Math.max(1, l.outWidth()));
        }
        this.referenceNetwork = model.graph();
        this.referencePredictions = new int[images.size()];
        this.referenceValid = new boolean[batches];
        this.cache = ActivationCache.choose(cuts, tree, floats, images.size(), batches, memoryBudgetBytes);
    }

    /** The cut points whose activations are cached, in execution order. */
    public List<String> cachedCuts() {
        return cache.kept();
    }

    /** Bytes the cache holds once filled. */
    public long cacheBytes() {
        return cache.bytesFor(images.size());
    }

    /** The images predicted, in the order of the returned predictions. */
    public LabeledImages images() {
        return images;
    }

    /**
     * Runs the reference network over every image whose cached activations or prediction are
     * missing or stale, filling the cache. Called by {@link #predict} if not before; cancellable
     * (a cancelled fill resumes where it stopped).
     */
    public void prepare(Progress progress) {
        referencePredictions(null, progress);
    }

    /**
     * The reference network's predictions, computing only what the cache does not hold: after
     * {@link #adopt}, each batch runs from the latest cut still valid for it. The listener (may be
     * null) sees the prediction array after each batch (read-only; images before {@code imagesDone}
     * are final). Returns a copy.
     */
    public int[] referencePredictions(BatchListener listener, Progress progress) {
        checkOpen();
        Set<String> synced = new HashSet<>();
        int last = cache.kept().size() - 1;
        for (int b = 0; b < batches; b++) {
            if (!(referenceValid[b] && allValid(b))) {
                progress.checkCancelled();
                runBatch(b, last, referenceNetwork, true, referencePredictions, synced);
                referenceValid[b] = true;
            }
            int done = Math.min(images.size(), (b + 1) * batch);
            progress.update((double) done / images.size(), "evaluated " + done + " / " + images.size() + " images");
            if (listener != null) {
                listener.batchDone(done, referencePredictions);
            }
        }
        return referencePredictions.clone();
    }

    /**
     * Makes {@code modified} the reference network. It must differ from the current reference only
     * in {@code changedLayers}; call this before changing them in place, so that an interruption
     * between the two leaves the cache conservative. Cheap: nothing is computed.
     */
    public void adopt(ComputationGraph modified, Collection<String> changedLayers) {
        checkOpen();
        for (String l : changedLayers) {
            cuts.position(l);
        }
        List<String> kept = cache.kept();
        boolean[] affected = new boolean[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            for (String l : changedLayers) {
                affected[k] |= l.equals(kept.get(k)) || cuts.dependsOn(kept.get(k), l);
            }
        }
        cache.referenceChanged(affected);
        if (modified != referenceNetwork || !changedLayers.isEmpty()) {
            java.util.Arrays.fill(referenceValid, false);
        }
        referenceNetwork = modified;
    }

    private boolean allValid(int b) {
        for (int k = 0; k < cache.kept().size(); k++) {
            if (!cache.valid(k, b)) {
                return false;
            }
        }
        return true;
    }

    /** The reference network's predictions (the original model's unless a network was adopted); a copy. */
    public int[] referencePredictions(Progress progress) {
        return referencePredictions(null, progress);
    }

    /**
     * Predictions of {@code modified}, which differs from the reference network only at
     * {@code firstChangedLayer} and layers computed after it.
     */
    public int[] predict(ComputationGraph modified, String firstChangedLayer, Progress progress) {
        return predict(modified, List.of(firstChangedLayer), progress);
    }

    /**
     * Predictions of {@code modified}, which differs from the reference network only in
     * {@code changedLayers} (any order); runs from the latest cached cut before all of them.
     */
    public int[] predict(ComputationGraph modified, Collection<String> changedLayers, Progress progress) {
        for (String l : changedLayers) {
            cuts.position(l);
        }
        return run(modified, changedLayers, progress);
    }

    /**
     * As {@link #predict(ComputationGraph, Collection, Progress)}, and makes {@code modified} the
     * reference network from the moment of the call, even if it is cancelled: later calls give
     * changed layers relative to it, and the cached activations after the changed layers are
     * replaced by its own as batches complete. {@code modified} must stay unchanged between calls
     * except for the layers then named as changed. Does not need {@link #prepare} first.
     */
    public int[] predictAndAdopt(ComputationGraph modified, Collection<String> changedLayers, BatchListener listener,
                                 Progress progress) {
        adopt(modified, changedLayers);
        return referencePredictions(listener, progress);
    }

    /** The cut point a prediction for these changed layers starts from (the network input if none fits). */
    public String startFor(Collection<String> changedLayers) {
        return cuts.latestBefore(cache.kept(), changedLayers);
    }

    private int[] run(ComputationGraph modified, Collection<String> changedLayers, Progress progress) {
        prepare(progress.range(0, 0));
        if (changedLayers.isEmpty()) {
            return referencePredictions.clone();
        }
        int target = cache.kept().indexOf(startFor(changedLayers));
        int[] pred = new int[images.size()];
        Set<String> synced = new HashSet<>();
        for (int b = 0; b < batches; b++) {
            progress.checkCancelled();
            runBatch(b, target, modified, false, pred, synced);
            int done = Math.min(images.size(), (b + 1) * batch);
            progress.update((double) done / images.size(), "evaluated " + done + " / " + images.size() + " images");
        }
        return pred;
    }

    /**
     * Predicts batch {@code b} of {@code net} from the latest valid cut at or before index
     * {@code target}, storing the activations at later cuts when {@code store} is set.
     */
    private void runBatch(int b, int target, ComputationGraph net, boolean store, int[] pred, Set<String> synced) {
        List<String> kept = cache.kept();
        int k = target;
        while (k >= 0 && !cache.valid(k, b)) {
            k--;
        }
        String start = k < 0 ? cuts.input() : kept.get(k);
        SuffixGraph g = store ? suffix(start, net) : suffixWithoutExtras(start, net);
        if (synced.add(start + "|" + store + "|" + System.identityHashCode(net))) {
            g.copyParams(net);
        }
        INDArray[] out = g.run(k < 0 ? inputBatch(b) : cache.get(k, b));
        Predictor.argmaxRows(out[0], pred, b * batch);
        if (store) {
            for (int j = k + 1; j < kept.size(); j++) {
                cache.put(j, b, out[j - k]);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this suffix runner was closed");
        }
    }

    private SuffixGraph suffix(String start, ComputationGraph source) {
        return suffixes.computeIfAbsent(start + "+cache", s -> {
            List<String> kept = cache.kept();
            int from = start.equals(cuts.input()) ? 0 : kept.indexOf(start) + 1;
            return SuffixGraph.forInference(source, cuts, start, new ArrayList<>(kept.subList(from, kept.size())));
        });
    }

    private SuffixGraph suffixWithoutExtras(String start, ComputationGraph source) {
        return suffixes.computeIfAbsent(start, s -> SuffixGraph.forInference(source, cuts, start, List.of()));
    }

    private INDArray inputBatch(int b) {
        INDArray x = Batches.features(images, b * batch, Math.min(images.size(), (b + 1) * batch));
        return model.channelsLast() ? x.permute(0, 2, 3, 1).dup('c') : x;
    }

    /** Releases the cached activations; the runner cannot be used afterwards. */
    @Override
    public void close() {
        cache.clear();
        closed = true;
    }
}
