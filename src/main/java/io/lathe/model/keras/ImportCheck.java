package io.lathe.model.keras;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.Map;

/**
 * Measures how far the canonical (NCHW) graph is from DL4J's channels-last Keras import: both run on
 * the same random images (permuted for the import); the outputs are compared, and so is every
 * spatial (4-D) activation the two graphs share by name, relative to its magnitude. Flattened vectors
 * are left to the output comparison: behind a Flatten over more than one pixel their order differs by
 * design (H·W·C in Keras, C·H·W here). Stateless; runs on the
 * caller's thread.
 */
public final class ImportCheck {
    /** Largest acceptable absolute difference between the two graphs' outputs (probabilities). */
    public static final double OUTPUT_TOLERANCE = 1e-4;
    /** Largest acceptable difference between shared activations, relative to max(1, their largest magnitude). */
    public static final double ACTIVATION_TOLERANCE = 1e-3;

    private ImportCheck() {
    }

    /**
     * The measured differences.
     *
     * @param output      max |Δ| over the outputs
     * @param activations max |Δ| / max(1, max |a|) over shared spatial activations
     */
    public record Difference(double output, double activations) {
        /** True if both are within tolerance. */
        public boolean agrees() {
            return output <= OUTPUT_TOLERANCE && activations <= ACTIVATION_TOLERANCE;
        }
    }

    /**
     * Compares the graphs on two batches of images of shape {@code chw}: one in [0, 1] and one spread
     * like standardised pixels (N(0, 1)).
     *
     * @param softmaxAdded true if the canonical graph applies a softmax the import does not
     */
    public static Difference measure(ComputationGraph imported, ComputationGraph canonical, int[] chw,
                                     boolean softmaxAdded) {
        INDArray unit = Nd4j.rand(12345L, new long[]{4, chw[0], chw[1], chw[2]});
        INDArray normal = Nd4j.randn(54321L, new long[]{4, chw[0], chw[1], chw[2]});
        Difference a = difference(imported, canonical, unit, softmaxAdded);
        Difference b = difference(imported, canonical, normal, softmaxAdded);
        return new Difference(Math.max(a.output(), b.output()), Math.max(a.activations(), b.activations()));
    }

    private static Difference difference(ComputationGraph imported, ComputationGraph canonical, INDArray nchw,
                                         boolean softmaxAdded) {
        INDArray nhwc = nchw.permute(0, 2, 3, 1).dup('c');
        Map<String, INDArray> a = imported.feedForward(nhwc, false);
        Map<String, INDArray> b = canonical.feedForward(nchw, false);
        String out = canonical.getConfiguration().getNetworkOutputs().get(0);
        double max = 0;
        for (Map.Entry<String, INDArray> e : b.entrySet()) {
            INDArray ref = a.get(e.getKey());
            if (ref == null || ref.rank() != 4 || e.getKey().equals(out)) {
                continue;
            }
            INDArray mine = e.getValue();
            ref = ref.permute(0, 3, 1, 2).dup('c');
            if (ref.length() != mine.length()) {
                max = Double.POSITIVE_INFINITY;
                continue;
            }
            INDArray r = ref.reshape(ref.size(0), -1);
            double scale = Math.max(1, Transforms.abs(r).maxNumber().doubleValue());
            max = Math.max(max, diff(r, mine.dup('c').reshape(mine.size(0), -1)) / scale);
        }
        INDArray refOut = imported.outputSingle(nhwc);
        if (softmaxAdded) {
            refOut = Transforms.softmax(refOut, true);
        }
        return new Difference(diff(refOut, canonical.outputSingle(nchw)), max);
    }

    private static double diff(INDArray x, INDArray y) {
        if (!Arrays.equals(x.shape(), y.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        return Transforms.abs(x.castTo(y.dataType()).sub(y)).maxNumber().doubleValue();
    }
}
