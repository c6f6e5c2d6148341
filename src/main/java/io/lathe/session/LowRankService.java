package io.lathe.session;

import io.lathe.data.LabeledImages;
import io.lathe.eval.Evaluator;
import io.lathe.eval.PairedLatency;
import io.lathe.job.Job;
import io.lathe.model.LayerInfo;
import io.lathe.model.LoadedModel;
import io.lathe.structure.LowRank;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Map;

/**
 * Low-rank factorization of one layer of an opened {@link Workspace}, as jobs with plain Lathe types
 * for the workbench: the layer's singular-value energy curve, and a measurement of the model with
 * that layer factorized at a rank against the unchanged model (validation accuracy on a bounded
 * number of images, parameters, latency at batch 1 and 64 timed alternately in one run). The plan
 * being edited is not applied: the figures isolate the factorization. Jobs run on the engine thread.
 */
public final class LowRankService {
    /** Timed batch-64 calls per network (batch 1 uses five times as many). */
    private final int repeats;

    /** A service timing {@code repeats} batch-64 calls per network (batch 1: five times as many). */
    public LowRankService(int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        this.repeats = repeats;
    }

    /**
     * What measuring a factorization found.
     *
     * @param layer            the factorized layer
     * @param rank             the rank measured
     * @param energy           share of the singular-value energy kept at that rank
     * @param images           validation images the accuracies were measured on
     * @param originalTop1     unchanged model's top-1 on those images
     * @param factorizedTop1   factorized model's top-1 on the same images
     * @param originalParams   parameters of the unchanged model
     * @param factorizedParams parameters of the factorized model
     * @param layerWeights     the layer's weights now
     * @param factorizedWeights the two factors' weights
     * @param batch1Ms         median latency at batch 1: unchanged, factorized (ms)
     * @param batch64Ms        median latency at batch 64: unchanged, factorized (ms)
     */
    public record Measurement(String layer, int rank, double energy, int images, double originalTop1,
                              double factorizedTop1, long originalParams, long factorizedParams, long layerWeights,
                              long factorizedWeights, double[] batch1Ms, double[] batch64Ms) {
        /** fp32 bytes of the unchanged model. */
        public long originalBytes() {
            return 4L * originalParams;
        }

        /** fp32 bytes of the factorized model. */
        public long factorizedBytes() {
            return 4L * factorizedParams;
        }

        /** Unchanged over factorized median latency at batch 64 (above 1: the factorized model is faster). */
        public double speedup64() {
            return batch64Ms[0] / batch64Ms[1];
        }
    }

    /** Why {@code layer} cannot be factorized, or null when it can. */
    public static String unavailableReason(Workspace ws, String layer) {
        LayerInfo l = layer == null ? null : ws.tree().layer(layer);
        if (l == null) {
            return "select a convolution or dense layer";
        }
        if (LowRank.modeOf(l) == null) {
            return l.kind().label() + " layers cannot be factorized; select a convolution or dense layer";
        }
        return null;
    }

    /** How the layer would be factorized, in words (e.g. "spatial SVD: 3×3 → 3×1 then 1×3"). */
    public static String modeText(Workspace ws, String layer) {
        LayerInfo l = ws.tree().layer(layer);
        io.lathe.compress.Factorization.Mode mode = LowRank.modeOf(l);
        if (mode == null) {
            return "";
        }
        return switch (mode) {
            case DENSE -> "dense SVD: one dense layer → two through a rank-r bottleneck";
            case CHANNEL -> "channel SVD: 1×1 convolution → two 1×1 convolutions through r channels";
            case SPATIAL -> "spatial SVD: " + l.kernel()[0] + "×" + l.kernel()[1] + " convolution → "
                    + l.kernel()[0] + "×1 into r channels, then 1×" + l.kernel()[1];
        };
    }

    /** The singular-value spectrum and energy curve of one layer's weights, as a job. */
    public Job<LowRank.Spectrum> spectrum(Workspace ws, String layer) {
        requireFactorizable(ws, layer);
        LoadedModel m = ws.model();
        LayerInfo l = ws.tree().layer(layer);
        return progress -> {
            progress.update(0, "singular values of " + layer);
            LowRank.Spectrum s = LowRank.spectrum(m.graph(), l);
            progress.update(1, "singular values of " + layer);
            return s;
        };
    }

    /**
     * Factorizes {@code layer} at {@code rank} and measures it against the unchanged model on the first
     * {@code images} validation images, as a cancellable job.
     */
    public Job<Measurement> measure(Workspace ws, String layer, int rank, int images) {
        requireFactorizable(ws, layer);
        if (ws.data() == null) {
            throw new IllegalStateException(ws.dataProblem());
        }
        if (images < 1) {
            throw new IllegalArgumentException("measure on at least one image, got " + images);
        }
        LoadedModel m = ws.model();
        LayerInfo l = ws.tree().layer(layer);
        LabeledImages val = ws.data().validation().limit(images);
        return progress -> {
            progress.update(0, "factorizing " + layer + " at rank " + rank);
            LowRank.Spectrum s = LowRank.spectrum(m.graph(), l);
            if (rank < 1 || rank > s.fullRank()) {
                throw new IllegalArgumentException("rank for " + layer + " must be 1.." + s.fullRank() + ", got "
                        + rank);
            }
            ComputationGraph f = LowRank.factorize(m, ws.tree(), Map.of(layer, rank));
            progress.checkCancelled();
            progress.update(0.05, "accuracy of the unchanged model");
            double before = Evaluator.evaluate(m.graph(), m, val, progress.range(0.05, 0.3)).top1();
            progress.update(0.3, "accuracy of the factorized model");
            double after = Evaluator.evaluate(f, m, val, progress.range(0.3, 0.55)).top1();
            progress.update(0.55, "latency at batch 1");
            PairedLatency.Result b1 = PairedLatency.measure(m.graph(), f, m.inputShape(), m.channelsLast(), 1, 5,
                    5 * repeats, progress.range(0.55, 0.7));
            progress.update(0.7, "latency at batch 64");
            PairedLatency.Result b64 = PairedLatency.measure(m.graph(), f, m.inputShape(), m.channelsLast(), 64, 2,
                    repeats, progress.range(0.7, 1));
            return new Measurement(layer, rank, s.energy()[rank - 1], val.size(), before, after, m.graph().numParams(),
                    f.numParams(), s.originalParams(), s.paramsAt(rank),
                    new double[]{b1.first().medianMs(), b1.second().medianMs()},
                    new double[]{b64.first().medianMs(), b64.second().medianMs()});
        };
    }

    private static void requireFactorizable(Workspace ws, String layer) {
        String why = unavailableReason(ws, layer);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }
}
