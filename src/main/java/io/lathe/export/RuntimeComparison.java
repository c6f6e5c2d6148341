package io.lathe.export;

import ai.onnxruntime.OrtException;
import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.eval.InferenceGraph;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench eval}'s runtime table: Lathe's evaluation engine against ONNX Runtime on the same model,
 * images and batch size, in one run. Five ways to run one batch are timed in turn, round after round,
 * so load on a shared machine falls on all alike: DL4J with the network as loaded (tuned settings),
 * BatchNorm folded (NCHW), Lathe's engine ({@link InferenceGraph}: folded, NHWC where possible), and
 * ONNX Runtime fp32 and INT8 on the models {@code compress} exports (BN folded; INT8 calibrated on
 * the first validation images). Then every image is predicted by the engine, ONNX Runtime fp32 and
 * the unfolded network, and the differences counted. Engine thread only.
 */
public final class RuntimeComparison {
    /** Validation images the INT8 model's activation ranges are calibrated on (as {@code compress} does). */
    public static final int CALIBRATION_IMAGES = 1000;

    private RuntimeComparison() {
    }

    private interface Run {
        void batch() throws OrtException;
    }

    /**
     * Times one batch of {@code batch} images of {@code images} (validation images) {@code rounds} times
     * on each runtime and compares predictions on all of {@code images}.
     */
    public static Map<String, Object> run(LoadedModel model, LabeledImages images, int batch, int rounds,
                                          Progress progress) throws OrtException, IOException {
        if (model.channelsLast()) {
            throw new IllegalArgumentException("the ONNX Runtime comparison needs a channels-first network");
        }
        int[] chw = model.inputShape();
        ComputationGraph loaded = model.graph();
        BatchNormFolding.Folded folded = BatchNormFolding.fold(loaded, Map.of());
        String version = Versions.all().get("lathe");
        byte[] fp32 = OnnxExporter.fp32(folded.graph(), chw, version);
        LabeledImages calibration = images.limit(Math.min(images.size(), CALIBRATION_IMAGES));
        Map<String, float[]> ranges = ActivationCalibrator.ranges(folded.graph(), chw, calibration, 64,
                progress.range(0, 0.1));
        byte[] int8 = OnnxExporter.int8(folded.graph(), chw, new OnnxExporter.Int8(ranges, folded.codings()), version);
        InferenceGraph nchw = InferenceGraph.of(loaded, false);
        InferenceGraph lathe = InferenceGraph.of(loaded);
        int n = Math.min(batch, images.size());
        Map<String, Object> out = new LinkedHashMap<>();
        try (OnnxRunner ortFp32 = new OnnxRunner(fp32); OnnxRunner ortInt8 = new OnnxRunner(int8)) {
            String[] names = {"dl4jTunedMs", "latheFoldedNchwMs", "latheMs", "ortFp32Ms", "ortInt8Ms"};
            Run[] runs = {
                () -> loaded.outputSingle(false, Batches.features(images, 0, n)),
                () -> nchw.run(nchw.input(Batches.features(images, 0, n))),
                () -> lathe.run(lathe.input(Batches.features(images, 0, n))),
                () -> ortFp32.probabilities(images, 0, n),
                () -> ortInt8.probabilities(images, 0, n),
            };
            double[][] ms = time(runs, rounds, progress.range(0.1, 0.6));
            out.put("runtimeBatch", n);
            out.put("runtimeRounds", rounds);
            for (int i = 0; i < names.length; i++) {
                out.put(names[i], round(median(ms[i])));
            }
            double ort = median(ms[3]);
            out.put("latheOverOrtFp32", round(median(ms[2]) / ort));
            out.put("dl4jTunedOverOrtFp32", round(median(ms[0]) / ort));
            out.put("latheFoldedNchwOverOrtFp32", round(median(ms[1]) / ort));
            out.put("ortInt8OverOrtFp32", round(median(ms[4]) / ort));
            out.put("latheLayout", lathe.channelsLast() ? "NHWC" : "NCHW");
            out.put("latheFoldedBatchNorms", lathe.folded().size());
            Map<String, Integer> ops = OnnxRunner.optimizedOps(int8);
            out.put("ortInt8IntegerConvolutions", ops.getOrDefault("QLinearConv", 0) + ops.getOrDefault("ConvInteger", 0));
            int[] enginePred = Predictor.predict(loaded, images, Predictor.DEFAULT_BATCH, progress.range(0.6, 0.75));
            int[] ortPred = ortFp32.predict(images, Predictor.DEFAULT_BATCH, progress.range(0.75, 0.85));
            int[] int8Pred = ortInt8.predict(images, Predictor.DEFAULT_BATCH, progress.range(0.85, 0.9));
            int[] unfolded = unfolded(loaded, images, progress.range(0.9, 1));
            out.put("predictionImages", images.size());
            out.put("latheVsOrtFp32Differ", differ(enginePred, ortPred));
            out.put("latheVsUnfoldedDl4jDiffer", differ(enginePred, unfolded));
            out.put("latheTop1", round4(Predictor.accuracy(enginePred, images)));
            out.put("ortFp32Top1", round4(Predictor.accuracy(ortPred, images)));
            out.put("ortInt8Top1", round4(Predictor.accuracy(int8Pred, images)));
            out.put("onnxRuntime", OnnxRunner.version());
        }
        return out;
    }

    /** Milliseconds per call of each run, {@code rounds} rounds after two warm-up rounds, runs taken in turn. */
    private static double[][] time(Run[] runs, int rounds, Progress progress) throws OrtException {
        double[][] ms = new double[runs.length][rounds];
        for (int r = -2; r < rounds; r++) {
            progress.checkCancelled();
            for (int i = 0; i < runs.length; i++) {
                long t0 = System.nanoTime();
                runs[i].batch();
                if (r >= 0) {
                    ms[i][r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            if (r >= 0) {
                progress.update((r + 1.0) / rounds, "timing round " + (r + 1) + " of " + rounds);
            }
        }
        return ms;
    }

    /** The network as loaded, without the engine's folding: what DL4J alone predicts. */
    private static int[] unfolded(ComputationGraph net, LabeledImages images, Progress progress) {
        int[] out = new int[images.size()];
        for (int from = 0; from < images.size(); from += Predictor.DEFAULT_BATCH) {
            progress.checkCancelled();
            int to = Math.min(images.size(), from + Predictor.DEFAULT_BATCH);
            Predictor.argmaxRows(net.outputSingle(false, Batches.features(images, from, to)), out, from);
        }
        return out;
    }

    private static int differ(int[] a, int[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] == b[i] ? 0 : 1;
        }
        return d;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
