package io.lathe.eval;

import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Activations of a reference network at chosen cut points, one float32 array per cut per batch,
 * with a validity stamp per batch so that an interrupted refresh leaves a usable cache. Which cut
 * points are kept is decided once from a memory budget: the cut just before each prunable layer,
 * dropping the ones that save least work per byte until the rest fits. Not thread-safe.
 */
final class ActivationCache {
    private final List<String> kept;
    private final long[] bytesPerImage;
    private final INDArray[][] arrays;
    private final long[][] stamps;
    private final long[] invalidatedAt;
    private long generation;

    private ActivationCache(List<String> kept, long[] bytesPerImage, int batches) {
        this.kept = List.copyOf(kept);
        this.bytesPerImage = bytesPerImage;
        this.arrays = new INDArray[kept.size()][batches];
        this.stamps = new long[kept.size()][batches];
        this.invalidatedAt = new long[kept.size()];
        for (long[] s : stamps) {
            Arrays.fill(s, -1);
        }
    }

    /**
     * Chooses the cut points to keep for {@code images} images in {@code batches} batches within
     * {@code budgetBytes}, given each vertex's activation size per image (floats).
     */
    static ActivationCache choose(CutPoints cuts, LayerTree tree, Map<String, Long> floatsPerImage, int images,
                                  int batches, long budgetBytes) {
        Set<String> wanted = new LinkedHashSet<>();
        for (LayerInfo l : tree.prunableLayers()) {
            String c = cuts.latestBefore(cuts.all(), List.of(l.name()));
            if (!c.equals(cuts.input())) {
                wanted.add(c);
            }
        }
        List<String> list = new ArrayList<>(wanted);
        list.sort((a, b) -> Integer.compare(cuts.position(a), cuts.position(b)));
        while (!list.isEmpty() && total(list, floatsPerImage, images) > budgetBytes) {
            int worst = 0;
            double worstScore = Double.MAX_VALUE;
            for (int i = 0; i < list.size(); i++) {
                String prev = i == 0 ? cuts.input() : list.get(i - 1);
                double saved = 1 + macsBetween(tree, cuts, prev, list.get(i));
                double score = saved / (4.0 * floatsPerImage.get(list.get(i)));
                if (score < worstScore) {
                    worstScore = score;
                    worst = i;
                }
            }
            list.remove(worst);
        }
        long[] bpi = new long[list.size()];
        for (int i = 0; i < list.size(); i++) {
            bpi[i] = 4L * floatsPerImage.get(list.get(i));
        }
        return new ActivationCache(list, bpi, batches);
    }

    private static long total(List<String> list, Map<String, Long> floatsPerImage, int images) {
        long t = 0;
        for (String c : list) {
            t += 4L * floatsPerImage.get(c) * images;
        }
        return t;
    }

    private static long macsBetween(LayerTree tree, CutPoints cuts, String from, String to) {
        long m = 0;
        int a = cuts.position(from);
        int b = cuts.position(to);
        for (LayerInfo l : tree.layers()) {
            int p = cuts.position(l.name());
            if (p > a && p <= b) {
                m += l.macs();
            }
        }
        return m;
    }

    /** The kept cut points, in execution order. */
    List<String> kept() {
        return kept;
    }

    /** Bytes held when every batch is filled, for {@code images} images. */
    long bytesFor(int images) {
        long t = 0;
        for (long b : bytesPerImage) {
            t += b * images;
        }
        return t;
    }

    /** True if cut {@code k}'s activations of batch {@code b} describe the current reference network. */
    boolean valid(int k, int b) {
        return stamps[k][b] >= 0 && stamps[k][b] >= invalidatedAt[k];
    }

    /** The activation of cut {@code k} for batch {@code b} (check {@link #valid} first). */
    INDArray get(int k, int b) {
        return arrays[k][b];
    }

    /** Stores a cut's activation for a batch as computed by the current reference network. */
    void put(int k, int b, INDArray activation) {
        if (arrays[k][b] != null && arrays[k][b] != activation) {
            arrays[k][b].close();
        }
        arrays[k][b] = activation;
        stamps[k][b] = generation;
    }

    /** Records that the reference network changed: cuts {@code k} with {@code affected[k]} become stale. */
    void referenceChanged(boolean[] affected) {
        generation++;
        for (int k = 0; k < affected.length; k++) {
            if (affected[k]) {
                invalidatedAt[k] = generation;
            }
        }
    }

    /** Releases every stored array. */
    void clear() {
        for (int k = 0; k < arrays.length; k++) {
            for (int b = 0; b < arrays[k].length; b++) {
                if (arrays[k][b] != null) {
                    arrays[k][b].close();
                    arrays[k][b] = null;
                }
                stamps[k][b] = -1;
            }
        }
    }
}
