package io.lathe.model.onnx;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DL4J graph being assembled from ONNX nodes: layer and vertex configurations (still editable, so
 * a later constant Add can become a bias), their parameters, and unique vertex names. {@link #build}
 * turns it into an initialised ComputationGraph holding the ONNX weights.
 */
final class DraftGraph {
    /** The name of the network input vertex. */
    static final String INPUT = "input";

    /** One layer or vertex; {@code layer} or {@code vertex} is set. */
    static final class Part {
        final String name;
        Layer layer;
        final GraphVertex vertex;
        final List<String> inputs;
        final Map<String, float[]> params = new LinkedHashMap<>();
        final Map<String, long[]> shapes = new LinkedHashMap<>();
        /** The ONNX tensor this part produces. */
        final String tensor;

        Part(String name, Layer layer, GraphVertex vertex, List<String> inputs, String tensor) {
            this.name = name;
            this.layer = layer;
            this.vertex = vertex;
            this.inputs = inputs;
            this.tensor = tensor;
        }

        void param(String key, long[] shape, float[] values) {
            params.put(key, values);
            shapes.put(key, shape);
        }
    }

    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>(Set.of(INPUT));

    /** A unique vertex name made from {@code base} (characters DL4J dislikes replaced). */
    String uniqueName(String base) {
        String clean = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[_.]+|[_.]+$", "");
        if (clean.isEmpty()) {
            clean = "layer";
        }
        String n = clean;
        for (int k = 2; names.contains(n); k++) {
            n = clean + "_" + k;
        }
        names.add(n);
        return n;
    }

    Part addLayer(String name, Layer layer, String tensor, String... inputs) {
        Part p = new Part(name, layer, null, List.of(inputs), tensor);
        parts.put(name, p);
        return p;
    }

    Part addVertex(String name, GraphVertex vertex, String tensor, String... inputs) {
        Part p = new Part(name, null, vertex, List.of(inputs), tensor);
        parts.put(name, p);
        return p;
    }

    Part part(String name) {
        return parts.get(name);
    }

    /** Number of parts the network will keep (those the output depends on). */
    int size(String output) {
        return reachable(output).size();
    }

    /** Builds the network for {@code chw} inputs with {@code output} as its output layer, weights copied in. */
    ComputationGraph build(int[] chw, String output) {
        Set<String> keep = reachable(output);
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(0)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(chw[1], chw[2], chw[0]));
        for (Part p : parts.values()) {
            if (!keep.contains(p.name)) {
                continue;
            }
            String[] in = p.inputs.toArray(new String[0]);
            if (p.layer != null) {
                g.addLayer(p.name, p.layer, in);
            } else {
                g.addVertex(p.name, p.vertex, in);
            }
        }
        g.setOutputs(output);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        for (Part p : parts.values()) {
            if (!keep.contains(p.name)) {
                continue;
            }
            for (Map.Entry<String, float[]> e : p.params.entrySet()) {
                INDArray target = net.getLayer(p.name).getParam(e.getKey());
                long[] shape = p.shapes.get(e.getKey());
                INDArray src;
                if (Arrays.equals(target.shape(), shape)) {
                    src = Nd4j.create(e.getValue(), shape, 'c');
                } else if (shape.length == 1 && target.length() == e.getValue().length) {
                    src = Nd4j.create(e.getValue(), target.shape(), 'c');
                } else {
                    throw new IllegalStateException("parameter " + p.name + "." + e.getKey() + " has shape "
                            + Arrays.toString(target.shape()) + " in DL4J but " + Arrays.toString(shape) + " in ONNX");
                }
                target.assign(src);
            }
        }
        return net;
    }

    private Set<String> reachable(String output) {
        Set<String> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(output));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            Part p = parts.get(v);
            if (p != null && keep.add(v)) {
                todo.addAll(p.inputs);
            }
        }
        return keep;
    }

    List<Part> parts() {
        return new ArrayList<>(parts.values());
    }
}
