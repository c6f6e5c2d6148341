package io.lathe.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Checks a converted network against the original ONNX file run in ONNX Runtime, on the same
 * deterministic inputs: 8 pseudo-random images (standard-normal values, the scale of normalised
 * pixels) and one all-zero image. Compares the logits (ONNX output before softmax against the DL4J
 * output layer's pre-activation) and the class probabilities.
 */
final class OrtCheck {
    /** Logits may differ by this fraction of the largest logit (float32 arithmetic in two engines). */
    static final double RELATIVE_TOLERANCE = 1e-3;
    /** Inputs compared. */
    static final int INPUTS = 9;

    /**
     * What was measured.
     *
     * @param logitDiff  max |Δ| on the logits (NaN when ONNX gives probabilities only)
     * @param scale      the largest |logit| (or 1 for probabilities)
     * @param probDiff   max |Δ| on the class probabilities
     * @param argmaxSame inputs on which both predict the same class
     */
    record Result(double logitDiff, double scale, double probDiff, int argmaxSame, int inputs, int ortNonFinite,
                  int dl4jNonFinite) {
        /** True if the two agree within the tolerance. */
        boolean agrees() {
            if (ortNonFinite > 0 || dl4jNonFinite > 0) {
                return false;
            }
            double tol = RELATIVE_TOLERANCE * Math.max(1, scale);
            return Double.isNaN(logitDiff) ? probDiff <= RELATIVE_TOLERANCE : logitDiff <= tol && probDiff <= RELATIVE_TOLERANCE;
        }

        /** One line for the model notes or an error message. */
        String describe() {
            if (ortNonFinite > 0 || dl4jNonFinite > 0) {
                return "the outputs are not finite on the check inputs (NaN or ∞: " + ortNonFinite + " values from ONNX Runtime, "
                        + dl4jNonFinite + " from DL4J), so the import cannot be verified";
            }
            String logits = Double.isNaN(logitDiff) ? "" : String.format(Locale.ROOT,
                    "max |Δ| = %.2g on the logits (largest |logit| %.3g), ", logitDiff, scale);
            return String.format(Locale.ROOT, "%s%.2g on the probabilities, same top class on %d of %d inputs",
                    logits, probDiff, argmaxSame, inputs);
        }
    }

    private OrtCheck() {
    }

    static Result run(Path file, NodeTranslator.Result tr) throws OrtException {
        int[] chw = tr.chw();
        int per = chw[0] * chw[1] * chw[2];
        float[] x = inputs(per);
        float[] ort = ortOutputs(file, tr, x, per);
        ComputationGraph g = tr.graph();
        INDArray in = Nd4j.create(x, new long[]{INPUTS, chw[0], chw[1], chw[2]}, 'c');
        String out = g.getConfiguration().getNetworkOutputs().get(0);
        String before = g.getConfiguration().getVertexInputs().get(out).get(0);
        Map<String, INDArray> acts = g.feedForward(in, false);
        float[] probs = acts.get(out).dup('c').data().asFloat();
        INDArray features = acts.get(before).dup('c').reshape('c', INPUTS, -1);
        INDArray w = g.getLayer(out).getParam("W");
        INDArray b = g.getLayer(out).getParam("b");
        float[] logits = features.mmul(w).addRowVector(b.reshape(1, -1)).dup('c').data().asFloat();
        int classes = probs.length / INPUTS;
        if (ort.length != probs.length) {
            return new Result(Double.POSITIVE_INFINITY, 1, Double.POSITIVE_INFINITY, 0, INPUTS, 0, 0);
        }
        float[] ortProbs = tr.outputIsProbabilities() ? ort : softmax(ort, classes);
        double logitDiff = tr.outputIsProbabilities() ? Double.NaN : maxDiff(ort, logits);
        double scale = 1;
        if (!tr.outputIsProbabilities()) {
            for (float v : ort) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        int same = 0;
        for (int i = 0; i < INPUTS; i++) {
            if (argmax(ortProbs, i, classes) == argmax(probs, i, classes)) {
                same++;
            }
        }
        return new Result(logitDiff, scale, maxDiff(ortProbs, probs), same, INPUTS, nonFinite(ort),
                nonFinite(probs) + nonFinite(logits));
    }

    /** The ONNX Runtime outputs for the inputs (one at a time when the file's batch is fixed at 1). */
    private static float[] ortOutputs(Path file, NodeTranslator.Result tr, float[] x, int per) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession s = env.createSession(file.toAbsolutePath().toString(), o)) {
                int[] chw = tr.chw();
                int batch = tr.batchIsOne() ? 1 : INPUTS;
                float[] all = null;
                int pos = 0;
                for (int from = 0; from < INPUTS; from += batch) {
                    float[] part = java.util.Arrays.copyOfRange(x, from * per, (from + batch) * per);
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(part),
                            new long[]{batch, chw[0], chw[1], chw[2]});
                         OrtSession.Result r = s.run(Map.of(tr.inputName(), t))) {
                        FloatBuffer fb = ((OnnxTensor) r.get(tr.outputName()).orElseThrow()).getFloatBuffer();
                        if (all == null) {
                            all = new float[fb.remaining() / batch * INPUTS];
                        }
                        int n = fb.remaining();
                        fb.get(all, pos, Math.min(n, all.length - pos));
                        pos += n;
                    }
                }
                return all;
            }
        }
    }

    private static float[] inputs(int per) {
        float[] x = new float[INPUTS * per];
        Random r = new Random(20261202L);
        for (int i = 0; i < (INPUTS - 1) * per; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static float[] softmax(float[] logits, int classes) {
        float[] p = new float[logits.length];
        for (int r = 0; r < logits.length / classes; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[r * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = (float) (Math.exp(logits[r * classes + c] - max) / sum);
            }
        }
        return p;
    }

    private static int argmax(float[] v, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (v[row * classes + c] > v[row * classes + best]) {
                best = c;
            }
        }
        return best;
    }

    private static int nonFinite(float[] v) {
        int n = 0;
        for (float x : v) {
            n += Float.isFinite(x) ? 0 : 1;
        }
        return n;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
