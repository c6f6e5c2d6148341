package io.lathe.model;

import io.lathe.data.Preprocessing;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network opened by Lathe, with where it came from and how its input pixels are preprocessed. The
 * graph holds the original weights and is never modified: every compression works on a copy
 * ({@link #copyGraph()}). Not thread-safe.
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
 * @param preprocessing what the model expects done to pixels 0-255 (stated with the model, chosen by the
 *                  user, or {@link Preprocessing#unit()} with a note saying it was assumed)
 */
public record LoadedModel(String name, String origin, String format, String sha256, ComputationGraph graph,
                          int[] inputShape, boolean channelsLast, boolean trained, List<String> notes,
                          Preprocessing preprocessing) {
    public LoadedModel {
        Objects.requireNonNull(graph);
        Objects.requireNonNull(preprocessing);
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

    /** The same model with another preprocessing (notes about an assumed preprocessing dropped). */
    public LoadedModel withPreprocessing(Preprocessing p) {
        List<String> kept = notes.stream().filter(n -> !n.startsWith(ModelPreprocessing.ASSUMED_NOTE_START)).toList();
        return new LoadedModel(name, origin, format, sha256, graph, inputShape, channelsLast, trained, kept, p);
    }

    /**
     * The number of classes the network predicts: {@code nOut} of the last layer with one, walking back
     * from the network output past activation and loss layers; -1 if none says.
     */
    public int outputCount() {
        var conf = graph.getConfiguration();
        Map<String, GraphVertex> vertices = conf.getVertices();
        String v = conf.getNetworkOutputs().get(0);
        for (int guard = 0; v != null && guard < vertices.size() + 1; guard++) {
            if (vertices.get(v) instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof FeedForwardLayer f
                    && f.getNOut() > 0) {
                return (int) f.getNOut();
            }
            List<String> inputs = conf.getVertexInputs().get(v);
            v = inputs == null || inputs.size() != 1 ? null : inputs.get(0);
        }
        return -1;
    }
}
