package io.lathe.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.lathe.model.LoadedModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/** Runs an ONNX file in ONNX Runtime one image at a time, and a loaded model in DL4J, for comparisons in tests. */
final class OrtReference {
    private OrtReference() {
    }

    /** ONNX Runtime's first output for each image, row-major {@code [n, classes]}. */
    static float[] ort(Path file, float[] x, int n, int[] chw) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int per = chw[0] * chw[1] * chw[2];
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        try (OrtSession s = env.createSession(file.toString(), o)) {
            String in = s.getInputNames().iterator().next();
            float[] out = null;
            for (int i = 0; i < n; i++) {
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(Arrays.copyOfRange(x, i * per, (i + 1) * per)),
                        new long[]{1, chw[0], chw[1], chw[2]});
                     OrtSession.Result r = s.run(Map.of(in, t))) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    float[] row = new float[fb.remaining()];
                    fb.get(row);
                    if (out == null) {
                        out = new float[n * row.length];
                    }
                    System.arraycopy(row, 0, out, i * row.length, row.length);
                }
            }
            return out;
        }
    }

    /** The loaded model's class probabilities, row-major {@code [n, classes]}. */
    static float[] dl4j(LoadedModel m, float[] x, int n) {
        int[] chw = m.inputShape();
        INDArray in = Nd4j.create(x, new long[]{n, chw[0], chw[1], chw[2]}, 'c');
        return m.graph().outputSingle(false, in).dup('c').data().asFloat();
    }

    static int[] argmax(float[] v, int classes) {
        int[] out = new int[v.length / classes];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (v[r * classes + c] > v[r * classes + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }

    static float[] random(int n, int[] chw, long seed) {
        float[] x = new float[n * chw[0] * chw[1] * chw[2]];
        Random r = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 1.5);
        }
        return x;
    }
}
