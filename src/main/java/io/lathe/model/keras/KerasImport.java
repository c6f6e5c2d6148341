package io.lathe.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.model.ModelLoadException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens a tf.keras 2.x model (a full {@code .h5}, or an architecture JSON with its weights-only
 * {@code .h5}) as a canonical Lathe graph: DL4J's Keras import, then {@link CanonicalGraph}, then
 * {@link ImportCheck} against the import. Runs on the caller's thread.
 */
public final class KerasImport {
    private KerasImport() {
    }

    /**
     * A Keras model ready for Lathe.
     *
     * @param graph      the canonical NCHW graph (output layer with a loss where the head allowed it)
     * @param inputShape channels, height, width
     * @param weights    the file the weights came from (the file itself for a full model)
     * @param notes      what was done, including the measured agreement with the import
     */
    public record Opened(ComputationGraph graph, int[] inputShape, Path weights, List<String> notes) {
    }

    /** Opens {@code file} (see {@link KerasFiles#locate} for which files are accepted). */
    public static Opened open(Path file) throws ModelLoadException {
        KerasFiles.Source src = KerasFiles.locate(file);
        KerasFiles.quiet();
        ComputationGraph imported = importGraph(file, src);
        int[] chw = inputShape(file, src);
        CanonicalGraph.Result canonical;
        try {
            canonical = CanonicalGraph.of(imported, chw);
        } catch (RuntimeException e) {
            throw new ModelLoadException(file + ": imported by DL4J, but Lathe could not rewrite it channels-first ("
                    + firstLine(e) + "); Lathe handles ResNet-style Keras CNNs", e);
        }
        ImportCheck.Difference d = ImportCheck.measure(imported, canonical.graph(), chw, canonical.softmaxAdded());
        if (!d.agrees()) {
            throw new ModelLoadException(file + String.format(Locale.ROOT, ": Lathe's channels-first copy of this "
                    + "Keras model disagrees with DL4J's import (max |Δ| = %.3g on the outputs, %.3g relative on the "
                    + "activations); the file may be fine, but Lathe cannot use this architecture yet",
                    d.output(), d.activations()));
        }
        List<String> notes = new ArrayList<>();
        if (src.split()) {
            notes.add("Architecture from " + src.architecture().getFileName() + ", weights from "
                    + src.weights().getFileName() + ".");
        }
        notes.add(String.format(Locale.ROOT, "Keras model converted to channels-first; checked against the Keras "
                + "import: max |Δ| = %.2g (outputs), %.2g (activations, relative).", d.output(), d.activations()));
        if (canonical.softmaxAdded()) {
            notes.add("The Keras model outputs logits; Lathe added a softmax (top-1 unchanged).");
        }
        return new Opened(canonical.graph(), chw, src.weights(), notes);
    }

    private static ComputationGraph importGraph(Path file, KerasFiles.Source src) throws ModelLoadException {
        String arch = src.split() ? src.architecture().toString() : null;
        String weights = src.weights().toString();
        try {
            return arch == null ? KerasModelImport.importKerasModelAndWeights(weights, false)
                    : splitImport(arch, weights, false).getComputationGraph();
        } catch (Exception functional) {
            try {
                return (arch == null ? KerasModelImport.importKerasSequentialModelAndWeights(weights, false)
                        : ((KerasSequentialModel) splitImport(arch, weights, true)).getMultiLayerNetwork()).toComputationGraph();
            } catch (Exception sequential) {
                throw new ModelLoadException(file + ": DL4J's Keras import failed (" + firstLine(functional)
                        + "); Lathe reads tf.keras 2.x models saved with model.save('m.h5'), or model.to_json() "
                        + "with model.save_weights(); nested models and Lambda layers are not supported", functional);
            }
        }
    }

    /**
     * DL4J's import of an architecture JSON with a weights-only file. KerasModelImport's own method
     * reads the weights with a null root and then fails on the top_level_model_weights group that
     * tf.keras 2.5+ writes (it opens "null/top_level_model_weights"); the root "." reads the same groups.
     */
    private static KerasModel splitImport(String arch, String weights, boolean sequential) throws Exception {
        try (KerasModelBuilder b = new KerasModel().modelBuilder().modelJsonFilename(arch)
                .enforceTrainingConfig(false).weightsHdf5FilenameNoRoot(weights)) {
            b.setWeightsRoot(".");
            return sequential ? b.buildSequential() : b.buildModel();
        }
    }

    /** Channels, height, width from the Keras config's batch_input_shape (NHWC); the import needs it. */
    private static int[] inputShape(Path file, KerasFiles.Source src) throws ModelLoadException {
        JsonNode shape = null;
        try {
            String json;
            if (src.split()) {
                json = java.nio.file.Files.readString(src.architecture());
            } else {
                try (Hdf5Archive archive = new Hdf5Archive(src.weights().toString())) {
                    json = archive.readAttributeAsJson("model_config");
                }
            }
            shape = new ObjectMapper().readTree(json).findValue("batch_input_shape");
        } catch (IOException | RuntimeException | org.deeplearning4j.nn.modelimport.keras.exceptions
                .UnsupportedKerasConfigurationException e) {
            shape = null;
        }
        if (shape != null && shape.isArray() && shape.size() == 4 && shape.get(1).canConvertToInt()) {
            return new int[]{shape.get(3).asInt(), shape.get(1).asInt(), shape.get(2).asInt()};
        }
        throw new ModelLoadException(file + ": the Keras model does not record its input size (no "
                + "batch_input_shape of 4 dimensions); Lathe needs image models with a fixed height and width");
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
