package io.lathe.model;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;
import java.util.Objects;

/**
 * A network opened by Lathe, with where it came from. The graph holds the original weights and is
 * never modified: every compression works on a copy ({@link #copyGraph()}). Not thread-safe.
 *
 * @param name      display name (file name without extension)
 * @param origin    file path or "zoo:resnet50"
 * @param format    "dl4j-graph", "dl4j-multilayer", "keras-h5", "onnx" or "dl4j-zoo"
 * @param sha256    fingerprint of the file (or of the configuration for zoo models)
 * @param graph     the network, as a ComputationGraph (multi-layer networks are converted)
 * @param inputShape channels, height, width
 * @param channelsLast true if the network expects NHWC input (Keras imports), false for NCHW
 * @param trained   false for architecture-only models (zoo)
 * @param notes     remarks shown to the user (e.g. "no residual structure")
 */
public record LoadedModel(String name, String origin, String format, String sha256, ComputationGraph graph,
                          int[] inputShape, boolean channelsLast, boolean trained, List<String> notes) {
    public LoadedModel {
        Objects.requireNonNull(graph);
        notes = List.copyOf(notes);
    }

    /** A deep copy of the network (configuration and parameters), safe to modify. */
    public ComputationGraph copyGraph() {
        return graph.clone();
    }

    /** Total parameter count. */
    public long parameterCount() {
        return graph.numParams();
    }
}
