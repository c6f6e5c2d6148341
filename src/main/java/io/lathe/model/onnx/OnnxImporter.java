package io.lathe.model.onnx;

import ai.onnxruntime.OrtException;
import io.lathe.engine.Engine;
import io.lathe.model.ModelLoadException;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports an ONNX image classifier (a PyTorch-style ResNet: Conv, BatchNormalization, Relu, residual
 * Add, pooling, a Gemm/MatMul head) as a canonical NCHW DL4J ComputationGraph whose last layer has
 * softmax and a cross-entropy loss, so every Lathe tool, fine-tuning included, works on it. Every
 * import is checked against ONNX Runtime running the original file; a disagreement is refused.
 */
public final class OnnxImporter {
    /**
     * An imported network.
     *
     * @param graph      the network (weights from the file)
     * @param inputShape channels, height, width
     * @param notes      what the import did and what the check measured
     * @param check      the measured agreement with ONNX Runtime
     */
    public record Imported(ComputationGraph graph, int[] inputShape, List<String> notes, Agreement check,
                           java.util.Map<String, String> metadata) {
    }

    /**
     * The measured agreement with ONNX Runtime.
     *
     * @param maxLogitDiff       max |Δ| on the logits (NaN when the file outputs probabilities)
     * @param maxProbabilityDiff max |Δ| on the class probabilities
     * @param sameTopClass       inputs on which both predicted the same class
     * @param inputs             inputs compared
     */
    public record Agreement(double maxLogitDiff, double maxProbabilityDiff, int sameTopClass, int inputs) {
    }

    private OnnxImporter() {
    }

    /** True if the file's content is an ONNX model (a protobuf ModelProto with a graph). */
    public static boolean looksLikeOnnx(Path file) {
        return OnnxFile.looksLikeOnnx(file);
    }

    /** Imports and checks an ONNX file. */
    public static Imported load(Path file) throws ModelLoadException {
        Engine.configure();
        OnnxFile onnx = OnnxFile.read(file);
        NodeTranslator.Result tr;
        try {
            tr = new NodeTranslator(onnx).translate();
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException(file + ": the converted network could not be built in DL4J (" + e.getMessage()
                    + ")", e);
        }
        OrtCheck.Result r;
        try {
            r = OrtCheck.run(file, tr);
        } catch (OrtException e) {
            throw new ModelLoadException(file + ": ONNX Runtime could not run the original file to check the import ("
                    + e.getMessage() + "); not imported unchecked", e);
        }
        if (!r.agrees()) {
            throw new ModelLoadException(file + ": the converted network disagrees with ONNX Runtime on the same inputs: "
                    + r.describe() + " (tolerance " + OrtCheck.RELATIVE_TOLERANCE + " relative); not imported");
        }
        List<String> notes = new ArrayList<>();
        String producer = onnx.model().getProducerName().isEmpty() ? "" : ", producer " + onnx.model().getProducerName()
                + (onnx.model().getProducerVersion().isEmpty() ? "" : " " + onnx.model().getProducerVersion());
        notes.add("Imported from ONNX (opset " + onnx.opset() + producer + "): " + tr.nodes() + " nodes → "
                + tr.layers() + " DL4J layers.");
        notes.add(tr.outputIsProbabilities()
                ? "The ONNX graph ends in Softmax; Lathe's output layer computes the same softmax and adds a cross-entropy loss for fine-tuning."
                : "The ONNX head outputs logits; Lathe's output layer applies softmax (with a cross-entropy loss for fine-tuning), so the top class is unchanged.");
        notes.add("Checked against ONNX Runtime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion() + " on "
                + r.inputs() + " inputs: " + r.describe() + ".");
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
        onnx.model().getMetadataPropsList().forEach(e -> metadata.put(e.getKey(), e.getValue()));
        return new Imported(tr.graph(), tr.chw(), notes,
                new Agreement(r.logitDiff(), r.probDiff(), r.argmaxSame(), r.inputs()), metadata);
    }
}
