package io.lathe.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.lathe.data.LabeledImages;
import io.lathe.eval.LatencyMeter;
import io.lathe.job.Progress;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Runs an ONNX model in ONNX Runtime (CPU, all graph optimisations on): predictions, raw outputs and
 * latency. One session per instance; close it when done. Not thread-safe.
 */
public final class OnnxRunner implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;

    /** Opens a model from its bytes. */
    public OnnxRunner(byte[] model) throws OrtException {
        this.env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        this.session = env.createSession(model, o);
        this.input = session.getInputNames().iterator().next();
    }

    /**
     * The operator counts of the graph ONNX Runtime actually runs after its optimisations (e.g. how many
     * QDQ convolutions it fused into integer {@code QLinearConv} kernels).
     */
    public static Map<String, Integer> optimizedOps(byte[] model) throws OrtException, java.io.IOException {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("lathe-ort-optimized", ".onnx");
        try {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setOptimizedModelFilePath(tmp.toString());
            OrtEnvironment.getEnvironment().createSession(model, o).close();
            Map<String, Integer> counts = new java.util.TreeMap<>();
            for (onnx.Onnx.NodeProto n : onnx.Onnx.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(tmp))
                    .getGraph().getNodeList()) {
                counts.merge(n.getOpType(), 1, Integer::sum);
            }
            return counts;
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    /** ONNX Runtime's version. */
    public static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** All outputs for images {@code from..to}, by output name, each {@code [n][...]} flattened per image. */
    public Map<String, float[]> run(LabeledImages images, int from, int to) throws OrtException {
        int n = to - from;
        float[] buf = Arrays.copyOfRange(images.pixels(), from * images.imageSize(), to * images.imageSize());
        return run(buf, new long[]{n, images.channels(), images.height(), images.width()});
    }

    private Map<String, float[]> run(float[] buf, long[] shape) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(buf), shape);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            Map<String, float[]> out = new HashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                OnnxTensor ot = (OnnxTensor) e.getValue();
                FloatBuffer fb = ot.getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                out.put(e.getKey(), v);
            }
            return out;
        }
    }

    /** The first output (the class probabilities) for images {@code from..to}, row-major {@code [n, classes]}. */
    public float[] probabilities(LabeledImages images, int from, int to) throws OrtException {
        return run(images, from, to).get(session.getOutputNames().iterator().next());
    }

    /** Predicted class of every image. */
    public int[] predict(LabeledImages images, int batch, Progress progress) throws OrtException {
        int[] out = new int[images.size()];
        for (int from = 0; from < images.size(); from += batch) {
            progress.checkCancelled();
            int to = Math.min(images.size(), from + batch);
            float[] p = probabilities(images, from, to);
            int classes = p.length / (to - from);
            for (int r = 0; r < to - from; r++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (p[r * classes + c] > p[r * classes + best]) {
                        best = c;
                    }
                }
                out[from + r] = best;
            }
            progress.update((double) to / images.size(), "ONNX Runtime: " + to + " / " + images.size() + " images");
        }
        return out;
    }

    /** Times {@code session.run} on random input of {@code [batch, c, h, w]}: median and spread per call. */
    public LatencyMeter.Latency latency(int[] chw, int batch, int warmup, int repeats, Progress progress)
            throws OrtException {
        float[] x = new float[batch * chw[0] * chw[1] * chw[2]];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        long[] shape = {batch, chw[0], chw[1], chw[2]};
        for (int i = 0; i < warmup; i++) {
            progress.checkCancelled();
            run(x, shape);
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            progress.checkCancelled();
            long t0 = System.nanoTime();
            run(x, shape);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            progress.update((i + 1.0) / repeats, "timing ONNX batch " + batch + ": " + (i + 1) + "/" + repeats);
        }
        Arrays.sort(ms);
        return new LatencyMeter.Latency(batch, pct(ms, 0.5), pct(ms, 0.1), pct(ms, 0.9), repeats);
    }

    private static double pct(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
