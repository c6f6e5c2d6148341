package io.lathe.eval;

import io.lathe.compress.Plan;
import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BatchNorm re-estimation: refreshes the running means and variances of a compressed network's
 * BatchNorm layers from forward passes in training mode over a fixed set of training images (each
 * BatchNorm normalizes with its batch's statistics during the pass, as in training), with no
 * gradient step: weights, masks, gamma and beta are never touched. The statistics are pooled over
 * all the images (mean and population variance of each channel), so the result does not depend
 * on a decay factor. Deterministic: the same network and images give the same statistics, which
 * is what lets {@code eval --bn-reestimate N} reproduce the preview. Engine thread only.
 */
public final class BnReestimator {
    /** Training images used by default: a few hundred, in batches of 128. */
    public static final int DEFAULT_IMAGES = 512;
    /** Images per training-mode pass. */
    static final int BATCH = 128;

    private final LabeledImages training;
    private final LabeledImages images;

    /** Uses the first {@code count} images of {@code training}. */
    public BnReestimator(LabeledImages training, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("BatchNorm re-estimation needs at least one training image (got "
                    + count + ")");
        }
        this.training = training;
        this.images = training.limit(count);
    }

    /** The same training images, using the first {@code count} of them. */
    public BnReestimator withImages(int count) {
        return count == images.size() ? this : new BnReestimator(training, count);
    }

    /**
     * Applies the plan's BatchNorm calibration ({@link Plan#batchNormImages()}) to a network the plan
     * was applied to; does nothing when the plan has none. This is what eval, export and the
     * allocation comparison do, so their figures agree with the window's preview.
     *
     * @param training the training split, or null when no data is loaded
     */
    public static void calibrate(ComputationGraph net, LayerTree tree, Plan plan, LabeledImages training,
                                 Progress progress) {
        if (plan.batchNormImages() == 0) {
            return;
        }
        if (training == null || training.size() == 0) {
            throw new IllegalArgumentException("the plan asks for BatchNorm calibration on " + plan.batchNormImages()
                    + " training images, but no training images are loaded: open data with a train split, or set "
                    + "\"calibration\": {\"batchNormImages\": 0} in the plan");
        }
        new BnReestimator(training, Math.min(plan.batchNormImages(), training.size())).apply(net, tree, plan, progress);
    }

    /** The training images used. */
    LabeledImages calibrationImages() {
        return images;
    }

    /** Number of training images used. */
    public int images() {
        return images.size();
    }

    /** Running statistics of one BatchNorm layer: per-channel mean and variance. */
    public record Stats(float[] mean, float[] var) {
    }

    /** Every BatchNorm layer of the network, in execution order. */
    public static List<String> allBatchNorms(LayerTree tree) {
        return tree.layers().stream().filter(l -> l.kind() == LayerKind.BATCH_NORM).map(LayerInfo::name).toList();
    }

    /** The BatchNorm layers computed after any layer the plan compresses (the others keep their statistics). */
    public static List<String> layersToReestimate(ComputationGraph graph, LayerTree tree, Plan plan) {
        CutPoints order = CutPoints.of(graph);
        List<String> compressed = new ArrayList<>();
        for (LayerInfo l : tree.prunableLayers()) {
            if (plan.changesWeights(l.name())) {
                compressed.add(l.name());
            }
        }
        compressed.addAll(plan.activationThresholds().keySet());
        List<String> out = new ArrayList<>();
        for (String bn : allBatchNorms(tree)) {
            for (String c : compressed) {
                if (order.dependsOn(bn, c)) {
                    out.add(bn);
                    break;
                }
            }
        }
        return out;
    }

    /** Re-estimates the plan's BatchNorm layers of {@code net} in place (what {@code eval --bn-reestimate} does). */
    public void apply(ComputationGraph net, LayerTree tree, Plan plan, Progress progress) {
        Map<String, Stats> stats = estimate(net, layersToReestimate(net, tree, plan), progress);
        stats.forEach((bn, s) -> write(net, bn, s));
    }

    /** New statistics for {@code batchNorms} from training-mode passes; {@code net} is not changed. */
    public Map<String, Stats> estimate(ComputationGraph net, Collection<String> batchNorms, Progress progress) {
        Map<String, Stats> out = new LinkedHashMap<>();
        if (batchNorms.isEmpty()) {
            return out;
        }
        CutPoints cuts = CutPoints.of(net);
        List<String> feeds = new ArrayList<>();
        for (String bn : batchNorms) {
            List<String> in = net.getConfiguration().getVertexInputs().get(bn);
            if (in == null || in.size() != 1) {
                throw new IllegalArgumentException("'" + bn + "' is not a single-input BatchNorm layer");
            }
            feeds.add(in.get(0));
        }
        SuffixGraph g = SuffixGraph.build(net, cuts, cuts.input(), feeds);
        int k = feeds.size();
        Accumulator[] acc = new Accumulator[k];
        for (int i = 0; i < k; i++) {
            acc[i] = new Accumulator();
        }
        for (int from = 0; from < images.size(); from += BATCH) {
            progress.checkCancelled();
            int to = Math.min(images.size(), from + BATCH);
            INDArray[] outs = g.runTraining(Batches.features(images, from, to));
            for (int i = 0; i < k; i++) {
                acc[i].add(outs[1 + i]);
            }
            progress.update((double) to / images.size(), "re-estimating BatchNorm: " + to + " / " + images.size()
                    + " training images");
        }
        int i = 0;
        for (String bn : batchNorms) {
            out.put(bn, acc[i++].stats());
        }
        return out;
    }

    /**
     * Pools per-channel sums of a BatchNorm's input over batches (in double), giving the mean and the
     * population variance over every image and position. One implementation for every caller, so that
     * the same activations always give bit-identical statistics.
     */
    static final class Accumulator {
        private double[] sum;
        private double[] sumSq;
        private long count;

        /** Adds one batch of the BatchNorm's input ({@code [n, c, h, w]} or {@code [n, c]}). */
        void add(INDArray a) {
            int[] dims = a.rank() == 4 ? new int[]{0, 2, 3} : new int[]{0};
            double[] s = a.sum(dims).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
            double[] q = a.mul(a).sum(dims).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
            if (sum == null) {
                sum = new double[s.length];
                sumSq = new double[s.length];
            }
            for (int c = 0; c < s.length; c++) {
                sum[c] += s[c];
                sumSq[c] += q[c];
            }
            count += a.length() / s.length;
        }

        /** The pooled statistics of everything added. */
        Stats stats() {
            float[] mean = new float[sum.length];
            float[] var = new float[sum.length];
            for (int c = 0; c < mean.length; c++) {
                double m = sum[c] / count;
                mean[c] = (float) m;
                var[c] = (float) Math.max(0, sumSq[c] / count - m * m);
            }
            return new Stats(mean, var);
        }
    }

    /** Writes running statistics into a BatchNorm layer of {@code net}. */
    public static void write(ComputationGraph net, String bn, Stats s) {
        writeRaw(net, bn, rawFor(net, bn, s));
    }

    /**
     * A BatchNorm layer's running-statistics parameters exactly as stored: the means, then the
     * variances (or log10 standard deviations when the layer stores those).
     */
    public static float[] rawOf(ComputationGraph net, String bn) {
        org.deeplearning4j.nn.api.Layer l = net.getLayer(bn);
        float[] mean = l.getParam("mean").dup().data().asFloat();
        float[] second = l.getParam(secondKey(l)).dup().data().asFloat();
        float[] out = Arrays.copyOf(mean, mean.length + second.length);
        System.arraycopy(second, 0, out, mean.length, second.length);
        return out;
    }

    /** The stored form of {@code s} for a BatchNorm layer of {@code net}. */
    static float[] rawFor(ComputationGraph net, String bn, Stats s) {
        org.deeplearning4j.nn.api.Layer l = net.getLayer(bn);
        BatchNormalization conf = (BatchNormalization) l.conf().getLayer();
        int n = s.mean().length;
        float[] out = new float[2 * n];
        System.arraycopy(s.mean(), 0, out, 0, n);
        for (int c = 0; c < n; c++) {
            out[n + c] = conf.isUseLogStd() ? (float) (0.5 * Math.log10(s.var()[c] + conf.getEps())) : s.var()[c];
        }
        return out;
    }

    /** Writes stored-form running statistics (see {@link #rawOf}) into a BatchNorm layer of {@code net}. */
    public static void writeRaw(ComputationGraph net, String bn, float[] raw) {
        org.deeplearning4j.nn.api.Layer l = net.getLayer(bn);
        INDArray mean = l.getParam("mean");
        INDArray second = l.getParam(secondKey(l));
        int n = (int) mean.length();
        for (int c = 0; c < n; c++) {
            mean.putScalar(c, raw[c]);
            second.putScalar(c, raw[n + c]);
        }
    }

    private static String secondKey(org.deeplearning4j.nn.api.Layer l) {
        return ((BatchNormalization) l.conf().getLayer()).isUseLogStd() ? "log10stdev" : "var";
    }
}
