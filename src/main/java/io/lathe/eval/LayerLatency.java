package io.lathe.eval;

import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures inference time per layer: one forward pass caches every vertex's inputs, then each vertex's
 * forward step is timed alone on those cached inputs (warm-up, repeats, median). The sum of the layers
 * is close to, but not exactly, the whole-model time (the whole pass also moves activations between
 * layers). Engine thread only.
 */
public final class LayerLatency {
    private LayerLatency() {
    }

    /**
     * One vertex's measured time.
     *
     * @param name     vertex name
     * @param kind     layer kind label
     * @param medianMs median time per forward step of one batch
     * @param share    fraction of the sum over all vertices
     */
    public record LayerTime(String name, String kind, double medianMs, double share) {
    }

    /**
     * Per-layer times of one network at one batch size.
     *
     * @param batch   images per call
     * @param layers  rows in execution order
     * @param sumMs   sum of the per-layer medians
     * @param wholeMs median time of the whole forward pass, measured in the same run
     */
    public record Profile(int batch, List<LayerTime> layers, double sumMs, double wholeMs) {
        /** The row of a vertex, or null. */
        public LayerTime layer(String name) {
            return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
        }
    }

    /** Times every vertex of {@code net} on random inputs of shape {@code [batch, c, h, w]} (NHWC if channelsLast). */
    public static Profile measure(ComputationGraph net, LayerTree tree, int[] chw, boolean channelsLast, int batch,
                                  int warmup, int repeats, Progress progress) {
        long[] shape = channelsLast ? new long[]{batch, chw[1], chw[2], chw[0]}
                : new long[]{batch, chw[0], chw[1], chw[2]};
        INDArray x = Nd4j.rand(shape);
        Map<String, INDArray> acts = net.feedForward(x, false);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        List<LayerInfo> layers = tree.layers();
        double[] medians = new double[layers.size()];
        for (int k = 0; k < layers.size(); k++) {
            progress.checkCancelled();
            LayerInfo l = layers.get(k);
            GraphVertex v = net.getVertex(l.name());
            INDArray[] ins = new INDArray[l.inputs().size()];
            for (int i = 0; i < ins.length; i++) {
                ins[i] = acts.get(l.inputs().get(i));
            }
            double[] ms = new double[repeats];
            for (int r = -warmup; r < repeats; r++) {
                for (int i = 0; i < ins.length; i++) {
                    v.setInput(i, ins[i], mgr);
                }
                long t0 = System.nanoTime();
                v.doForward(false, mgr);
                long t1 = System.nanoTime();
                if (r >= 0) {
                    ms[r] = (t1 - t0) / 1e6;
                }
            }
            v.clear();
            Arrays.sort(ms);
            medians[k] = LatencyMeter.percentile(ms, 0.5);
            progress.update(0.8 * (k + 1) / layers.size(), "timing layer " + l.name() + " at batch " + batch);
        }
        double sum = Arrays.stream(medians).sum();
        List<LayerTime> rows = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            rows.add(new LayerTime(layers.get(k).name(), layers.get(k).kind().label(), medians[k],
                    sum == 0 ? 0 : medians[k] / sum));
        }
        LatencyMeter.Latency whole = LatencyMeter.measure(net, chw, channelsLast, batch, warmup, repeats,
                progress.range(0.8, 1.0));
        return new Profile(batch, rows, sum, whole.medianMs());
    }
}
