package io.lathe.export;

import io.lathe.data.Fingerprints;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The parameter tensors of a network in a fixed order (topological vertex order, then each layer's own
 * parameter order), and a fingerprint of that layout: names, keys and shapes. A packed file stores its
 * tensors in this order and refuses to restore into a network with another layout.
 */
public final class ParamLayout {
    private ParamLayout() {
    }

    /** One parameter of the network: its layer, key and the live array (a view into the network). */
    public record Entry(String vertex, String key, INDArray array) {
    }

    /** Every parameter tensor of {@code graph}, in layout order. */
    public static List<Entry> of(ComputationGraph graph) {
        List<Entry> out = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = vertices[idx];
            if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : v.getLayer().paramTable().entrySet()) {
                out.add(new Entry(v.getVertexName(), p.getKey(), p.getValue()));
            }
        }
        return out;
    }

    /** SHA-256 over every tensor's layer name, key and shape, in layout order. */
    public static String fingerprint(ComputationGraph graph) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : of(graph)) {
            sb.append(e.vertex()).append('|').append(e.key()).append('|').append(Arrays.toString(e.array().shape()))
                    .append('\n');
        }
        return Fingerprints.of(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
