package io.lathe.eval;

import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** Measures inference latency of a network: warm-up, repeats, median and spread. Engine thread only. */
public final class LatencyMeter {
    private LatencyMeter() {
    }

    /**
     * A latency measurement in milliseconds per batch.
     *
     * @param batch    images per call
     * @param medianMs median time per call
     * @param p10Ms    10th percentile
     * @param p90Ms    90th percentile
     * @param repeats  timed calls
     */
    public record Latency(int batch, double medianMs, double p10Ms, double p90Ms, int repeats) {
        /** Images per second at the median. */
        public double imagesPerSecond() {
            return batch * 1000.0 / medianMs;
        }
    }

    /** Times {@code net} on random inputs of shape {@code [batch, c, h, w]} (NHWC when channelsLast). */
    public static Latency measure(ComputationGraph net, int[] chw, boolean channelsLast, int batch, int warmup,
                                  int repeats, Progress progress) {
        long[] shape = channelsLast ? new long[]{batch, chw[1], chw[2], chw[0]}
                : new long[]{batch, chw[0], chw[1], chw[2]};
        INDArray x = Nd4j.rand(shape);
        for (int i = 0; i < warmup; i++) {
            progress.checkCancelled();
            net.outputSingle(false, x);
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            progress.checkCancelled();
            long t0 = System.nanoTime();
            net.outputSingle(false, x);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            progress.update((i + 1.0) / repeats, "timing batch " + batch + ": " + (i + 1) + "/" + repeats);
        }
        Arrays.sort(ms);
        return new Latency(batch, percentile(ms, 0.5), percentile(ms, 0.1), percentile(ms, 0.9), repeats);
    }

    /** Repeats chosen so a measurement takes roughly {@code seconds}, between 5 and 200. */
    public static int repeatsFor(ComputationGraph net, int[] chw, boolean channelsLast, int batch, double seconds) {
        Latency probe = measure(net, chw, channelsLast, batch, 2, 3, Progress.none());
        return (int) Math.max(5, Math.min(200, seconds * 1000 / Math.max(0.01, probe.medianMs())));
    }

    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
