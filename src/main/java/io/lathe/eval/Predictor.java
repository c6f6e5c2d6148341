package io.lathe.eval;

import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a network over an image set in batches and returns the predicted class of every image. The
 * network runs as its {@link InferenceGraph} (BatchNorm folded, NHWC where possible), the form every
 * engine path (evaluation, preview, sweeps) runs, so their predictions agree exactly. Not
 * thread-safe: the network must be used by one thread at a time (DL4J networks are not thread-safe).
 */
public final class Predictor {
    /** Batch size measured fastest for 28×28 ResNets on 2 cores (see bench eval). */
    public static final int DEFAULT_BATCH = 256;

    private Predictor() {
    }

    /** Predicted classes for every image, reporting progress per batch; honours cancellation. */
    public static int[] predict(ComputationGraph net, LabeledImages images, int batch, Progress progress) {
        return predict(net, images, batch, false, progress);
    }

    /** As {@link #predict(ComputationGraph, LabeledImages, int, Progress)}, for NHWC networks too. */
    public static int[] predict(ComputationGraph net, LabeledImages images, int batch, boolean channelsLast,
                                Progress progress) {
        int n = images.size();
        int[] out = new int[n];
        InferenceGraph g = InferenceGraph.of(net);
        for (int from = 0; from < n; from += batch) {
            progress.checkCancelled();
            int to = Math.min(n, from + batch);
            INDArray x = Batches.features(images, from, to);
            if (channelsLast) {
                x = x.permute(0, 2, 3, 1).dup('c');
            }
            INDArray y = g.run(g.input(x))[0];
            argmaxRows(y, out, from);
            progress.update((double) to / n, "evaluated " + to + " / " + n + " images");
        }
        return out;
    }

    /** Writes the argmax of each row of {@code scores} into {@code out} starting at {@code offset}. */
    public static void argmaxRows(INDArray scores, int[] out, int offset) {
        int rows = (int) scores.rows();
        int cols = (int) scores.columns();
        float[] v = scores.data().asFloat();
        if (scores.ordering() != 'c' || scores.isView()) {
            v = scores.dup('c').data().asFloat();
        }
        for (int r = 0; r < rows; r++) {
            int best = 0;
            float bestV = v[r * cols];
            for (int c = 1; c < cols; c++) {
                if (v[r * cols + c] > bestV) {
                    bestV = v[r * cols + c];
                    best = c;
                }
            }
            out[offset + r] = best;
        }
    }

    /** Fraction of predictions equal to the labels. */
    public static double accuracy(int[] predictions, LabeledImages images) {
        int correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] == images.label(i)) {
                correct++;
            }
        }
        return predictions.length == 0 ? 0 : (double) correct / predictions.length;
    }
}
