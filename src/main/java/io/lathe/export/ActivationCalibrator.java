package io.lathe.export;

import ai.onnxruntime.OrtException;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Calibrates the INT8 model's activation ranges: runs the fp32 ONNX model with every quantization
 * point exposed as an output over calibration images (validation, never test) and records each
 * point's minimum and maximum.
 */
public final class ActivationCalibrator {
    private ActivationCalibrator() {
    }

    /** Min and max per quantization point (vertex name → {min, max}). */
    public static Map<String, float[]> ranges(ComputationGraph folded, int[] chw, LabeledImages images, int batch,
                                              Progress progress) throws OrtException {
        Set<String> points = OnnxExporter.quantizationPoints(folded);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String p : points) {
            out.put(p, new float[]{Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        }
        String input = folded.getConfiguration().getNetworkInputs().get(0);
        try (OnnxRunner r = new OnnxRunner(OnnxExporter.calibration(folded, chw, "calibration"))) {
            for (int from = 0; from < images.size(); from += batch) {
                progress.checkCancelled();
                int to = Math.min(images.size(), from + batch);
                Map<String, float[]> res = r.run(images, from, to);
                for (String p : points) {
                    float[] v = p.equals(input) ? java.util.Arrays.copyOfRange(images.pixels(),
                            from * images.imageSize(), to * images.imageSize()) : res.get(p);
                    if (v == null) {
                        continue;
                    }
                    float[] mm = out.get(p);
                    for (float x : v) {
                        mm[0] = Math.min(mm[0], x);
                        mm[1] = Math.max(mm[1], x);
                    }
                }
                progress.update((double) to / images.size(), "calibrating INT8 on " + to + " images");
            }
        }
        for (Map.Entry<String, float[]> e : out.entrySet()) {
            if (e.getValue()[0] > e.getValue()[1]) {
                throw new IllegalStateException("calibration did not observe quantization point " + e.getKey());
            }
        }
        return out;
    }
}
