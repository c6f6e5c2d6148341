package io.lathe.eval;

import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Measures two networks in one run, alternating calls (A, B, A, B, …) so that background load on a
 * shared machine falls on both alike; reports medians and the speed-up of B over A. Engine thread only.
 */
public final class PairedLatency {
    private PairedLatency() {
    }

    /**
     * Both networks' latency at one batch size.
     *
     * @param batch   images per call
     * @param first   the first network (the reference)
     * @param second  the second network (the candidate), or null when only one was measured
     */
    public record Result(int batch, LatencyMeter.Latency first, LatencyMeter.Latency second) {
        /** First median over second median (above 1 = the second is faster), or NaN without a second. */
        public double speedup() {
            return second == null ? Double.NaN : first.medianMs() / second.medianMs();
        }
    }

    /** Times {@code a} and (when not null) {@code b} alternately on the same random batch. */
    public static Result measure(ComputationGraph a, ComputationGraph b, int[] chw, boolean channelsLast, int batch,
                                 int warmup, int repeats, Progress progress) {
        long[] shape = channelsLast ? new long[]{batch, chw[1], chw[2], chw[0]}
                : new long[]{batch, chw[0], chw[1], chw[2]};
        INDArray x = Nd4j.rand(shape);
        double[] ta = new double[repeats];
        double[] tb = new double[repeats];
        for (int r = -warmup; r < repeats; r++) {
            progress.checkCancelled();
            double ms = time(a, x);
            if (r >= 0) {
                ta[r] = ms;
            }
            if (b != null) {
                ms = time(b, x);
                if (r >= 0) {
                    tb[r] = ms;
                }
            }
            if (r >= 0) {
                progress.update((r + 1.0) / repeats, "timing batch " + batch + ": " + (r + 1) + "/" + repeats);
            }
        }
        return new Result(batch, summary(ta, batch), b == null ? null : summary(tb, batch));
    }

    private static double time(ComputationGraph net, INDArray x) {
        long t0 = System.nanoTime();
        net.outputSingle(false, x);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static LatencyMeter.Latency summary(double[] ms, int batch) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return new LatencyMeter.Latency(batch, LatencyMeter.percentile(s, 0.5), LatencyMeter.percentile(s, 0.1),
                LatencyMeter.percentile(s, 0.9), s.length);
    }
}
