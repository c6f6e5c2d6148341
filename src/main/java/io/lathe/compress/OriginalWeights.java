package io.lathe.compress;

import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-only copy of every prunable layer's original weights as float arrays (DL4J order), taken
 * once when a model is opened, so compression never reads from (or writes to) the live network.
 */
public final class OriginalWeights {
    private final Map<String, float[]> values;
    private final Map<String, long[]> shapes;

    private OriginalWeights(Map<String, float[]> values, Map<String, long[]> shapes) {
        this.values = Collections.unmodifiableMap(values);
        this.shapes = Collections.unmodifiableMap(shapes);
    }

    /** Copies the "W" tensor of every prunable layer. */
    public static OriginalWeights of(ComputationGraph graph, LayerTree tree) {
        Map<String, float[]> v = new LinkedHashMap<>();
        Map<String, long[]> s = new LinkedHashMap<>();
        for (LayerInfo l : tree.prunableLayers()) {
            INDArray w = graph.getLayer(l.name()).getParam("W");
            v.put(l.name(), w.dup('c').data().asFloat());
            s.put(l.name(), w.shape().clone());
        }
        return new OriginalWeights(v, s);
    }

    /** The original weights of a layer (a copy: safe to modify). */
    public float[] weights(String layer) {
        float[] w = values.get(layer);
        if (w == null) {
            throw new IllegalArgumentException("no prunable layer named '" + layer + "'");
        }
        return w.clone();
    }

    /** The DL4J shape of a layer's weights. */
    public long[] shape(String layer) {
        return shapes.get(layer).clone();
    }

    /** Layer names, in execution order. */
    public Iterable<String> layers() {
        return values.keySet();
    }

    /** True if the layer is known. */
    public boolean has(String layer) {
        return values.containsKey(layer);
    }
}
