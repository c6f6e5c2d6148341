package io.lathe.sensitivity;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.Granularity;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Builds the compressed variants of one layer that a sweep measures. */
final class Variants {
    private Variants() {
    }

    /** The layer with its original weights (what restores a working network). */
    static CompressedLayer original(PlanApplier applier, String layer) {
        return of(applier, layer, PruneSetting.NONE, QuantSetting.NONE);
    }

    /** The layer pruned to {@code sparsity} at a granularity, not quantized. */
    static CompressedLayer pruned(PlanApplier applier, String layer, Granularity g, String blockShape, double sparsity) {
        PruneSetting p = sparsity == 0 ? PruneSetting.NONE : PruneSetting.sparsity(g, sparsity).withBlockShape(blockShape);
        return of(applier, layer, p, QuantSetting.NONE);
    }

    /** The layer quantized to {@code bits} (per channel, symmetric), not pruned. */
    static CompressedLayer quantized(PlanApplier applier, String layer, int bits) {
        return of(applier, layer, PruneSetting.NONE, QuantSetting.bits(bits));
    }

    /** True if the variant computes with exactly the original weights and touches no BatchNorm. */
    /**
     * Writes each variant of {@code layer} into {@code work} in turn, asks {@code predict} for its
     * predictions and hands them to {@code sink} (stopping when it says so); the layer's original
     * weights are written back afterwards, also on failure or cancellation.
     */
    static void runEach(PlanApplier applier, ComputationGraph work, String layer, List<CompressedLayer> variants,
                        SweepEngine.VariantSink sink, Progress progress, Function<Progress, int[]> predict) {
        try {
            for (int v = 0; v < variants.size(); v++) {
                progress.checkCancelled();
                applier.write(work, variants.get(v));
                int[] pred = predict.apply(progress.range((double) v / variants.size(), (v + 1.0) / variants.size()));
                if (!sink.accept(v, pred)) {
                    break;
                }
            }
        } finally {
            applier.write(work, original(applier, layer));
        }
    }

    static boolean isOriginal(PlanApplier applier, CompressedLayer c) {
        for (boolean r : c.removedChannels()) {
            if (r) {
                return false;
            }
        }
        return Arrays.equals(c.weights(), applier.originals().weights(c.name()));
    }

    private static CompressedLayer of(PlanApplier applier, String layer, PruneSetting p, QuantSetting q) {
        return CompressedLayer.of(layer, applier.originals().shape(layer), applier.originals().weights(layer), p, q);
    }
}
