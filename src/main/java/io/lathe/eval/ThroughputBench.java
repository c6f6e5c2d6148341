package io.lathe.eval;

import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** Inference throughput and GEMM roofline measurements shared by {@code bench eval} and its stock child. */
public final class ThroughputBench {
    private ThroughputBench() {
    }

    /** Images per second running {@code net} over {@code images} in batches (median of {@code rounds}). */
    public static double imagesPerSecond(ComputationGraph net, LabeledImages images, int batch, int rounds) {
        INDArray x = Batches.features(images, 0, Math.min(batch, images.size()));
        net.outputSingle(false, x);
        net.outputSingle(false, x);
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            int n = 0;
            for (int from = 0; from + batch <= images.size(); from += batch) {
                net.outputSingle(false, Batches.features(images, from, from + batch));
                n += batch;
            }
            rates[r] = n / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        return rates[rounds / 2];
    }

    /** Images per second running Lathe's engine ({@link InferenceGraph} of {@code net}) as {@link #imagesPerSecond} does. */
    public static double engineImagesPerSecond(ComputationGraph net, LabeledImages images, int batch, int rounds) {
        InferenceGraph g = InferenceGraph.of(net);
        INDArray x = g.input(Batches.features(images, 0, Math.min(batch, images.size())));
        g.run(x);
        g.run(x);
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            int n = 0;
            for (int from = 0; from + batch <= images.size(); from += batch) {
                g.run(g.input(Batches.features(images, from, from + batch)));
                n += batch;
            }
            rates[r] = n / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        return rates[rounds / 2];
    }

    /** GFLOP/s of an n×n float matrix product (2·n³ flops), best of a few runs. */
    public static double gemmGflops(int n, int runs) {
        INDArray a = Nd4j.rand(n, n);
        INDArray b = Nd4j.rand(n, n);
        INDArray c = Nd4j.create(n, n);
        a.mmuli(b, c);
        double best = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            a.mmuli(b, c);
            double sec = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * n * n * n / sec / 1e9);
        }
        return best;
    }
}
