package io.lathe.model.keras;

import io.lathe.model.ModelLoadException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a graph from DL4J's Keras import (channels-last) into Lathe's canonical form, the shape
 * {@link io.lathe.model.ResNetFactory} builds: NCHW everywhere, no Flatten after a pool that already
 * reduced the map to 1×1 (such a pool becomes a {@link GlobalPoolingLayer}), and a softmax head that is
 * one output layer with a loss ({@link KerasHead}). Parameters are copied; Dense rows behind a Flatten
 * over more than one pixel are reordered from H·W·C to C·H·W. The caller checks the result numerically
 * ({@link ImportCheck}). Stateless.
 */
public final class CanonicalGraph {
    private CanonicalGraph() {
    }

    /** The rewritten graph and what was changed, for the model's notes. */
    public record Result(ComputationGraph graph, boolean softmaxAdded, List<String> changes) {
    }

    /**
     * Rewrites {@code nhwc}, whose input is {@code chw} = channels, height, width (fed as NHWC).
     *
     * @throws ModelLoadException if the graph has a shape this rewrite does not know
     */
    public static Result of(ComputationGraph nhwc, int[] chw) throws ModelLoadException {
        ComputationGraphConfiguration conf = nhwc.getConfiguration();
        Map<String, InputType> types = conf.getLayerActivationTypes(
                InputType.convolutional(chw[1], chw[2], chw[0], CNN2DFormat.NHWC));
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, List<String>> consumers = consumers(conf);
        KerasHead head = KerasHead.find(conf);
        Map<String, String> alias = new HashMap<>();
        Map<String, long[]> reorderRows = new HashMap<>();
        List<String> changes = new ArrayList<>();
        NeuralNetConfiguration.Builder defaults = new NeuralNetConfiguration.Builder(conf.getDefaultConfiguration().clone());
        ComputationGraphConfiguration.GraphBuilder g = defaults.graphBuilder();
        String input = conf.getNetworkInputs().get(0);
        g.addInputs(input);
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex v = conf.getVertices().get(name);
            if (v == null || conf.getNetworkInputs().contains(name)) {
                continue;
            }
            if (head.dropped().contains(name)) {
                alias.put(name, resolve(alias, inputs.get(name).get(0)));
                continue;
            }
            String[] in = inputs.get(name).stream().map(i -> resolve(alias, i)).toArray(String[]::new);
            InputType inType = types.get(inputs.get(name).get(0));
            if (v instanceof PreprocessorVertex pv && pv.getPreProcessor() instanceof CnnToFeedForwardPreProcessor) {
                if (!(inType instanceof InputType.InputTypeConvolutional c) || c.getHeight() * c.getWidth() == 1
                        || poolBecomesGlobal(conf, inputs.get(name).get(0), types, inputs, consumers)) {
                    alias.put(name, in[0]);
                    changes.add("dropped Flatten '" + name + "' (its input is already one value per channel)");
                    continue;
                }
                markReorder(name, c, consumers, conf, reorderRows);
                g.addVertex(name, new PreprocessorVertex(new CnnToFeedForwardPreProcessor(c.getHeight(), c.getWidth(),
                        c.getChannels(), CNN2DFormat.NCHW)), in);
                continue;
            }
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer().clone();
                InputPreProcessor pre = lv.getPreProcessor() == null ? null : lv.getPreProcessor().clone();
                if (pre instanceof CnnToFeedForwardPreProcessor
                        && poolBecomesGlobal(conf, inputs.get(name).get(0), types, inputs, consumers)) {
                    pre = null;
                } else if (pre instanceof CnnToFeedForwardPreProcessor && inType instanceof InputType.InputTypeConvolutional c) {
                    pre = new CnnToFeedForwardPreProcessor(c.getHeight(), c.getWidth(), c.getChannels(), CNN2DFormat.NCHW);
                    if (c.getHeight() * c.getWidth() > 1) {
                        reorderRows.put(name, new long[]{c.getHeight(), c.getWidth(), c.getChannels()});
                    }
                } else if (pre != null) {
                    toNchw(pre);
                }
                if (layer instanceof SubsamplingLayer s && poolBecomesGlobal(conf, name, types, inputs, consumers)) {
                    layer = new GlobalPoolingLayer.Builder(s.getPoolingType()).poolingDimensions(2, 3)
                            .collapseDimensions(true).build();
                    layer.setLayerName(name);
                    changes.add("pool '" + name + "' covers the whole map: a global pooling layer");
                } else if (layer instanceof GlobalPoolingLayer gp && inType instanceof InputType.InputTypeConvolutional) {
                    gp.setPoolingDimensions(new int[]{2, 3});
                } else if (name.equals(head.dense())) {
                    layer = head.outputLayer(layer);
                } else {
                    toNchw(layer);
                }
                g.addLayer(name, layer, pre, in);
                continue;
            }
            GraphVertex copy = v.clone();
            if (copy instanceof MergeVertex m && m.getMergeAxis() == 3
                    && inType instanceof InputType.InputTypeConvolutional) {
                m.setMergeAxis(1);
            }
            g.addVertex(name, copy, in);
        }
        g.setOutputs(resolve(alias, conf.getNetworkOutputs().get(0)));
        g.setInputTypes(InputType.convolutional(chw[1], chw[2], chw[0]));
        ComputationGraph out = new ComputationGraph(g.build());
        out.init();
        copyParams(nhwc, out, reorderRows);
        if (head.dense() != null) {
            changes.add(head.describe());
        }
        return new Result(out, head.softmaxAdded(), changes);
    }

    /** True if pooling layer {@code name} covers its whole map and only Flattens read it: it becomes a global pool. */
    private static boolean poolBecomesGlobal(ComputationGraphConfiguration conf, String name, Map<String, InputType> types,
                                             Map<String, List<String>> inputs, Map<String, List<String>> consumers) {
        if (!wholeMapPool(conf, name, types, inputs)) {
            return false;
        }
        for (String next : consumers.getOrDefault(name, List.of())) {
            GraphVertex v = conf.getVertices().get(next);
            boolean flatten = (v instanceof PreprocessorVertex pv && pv.getPreProcessor() instanceof CnnToFeedForwardPreProcessor)
                    || (v instanceof LayerVertex lv && lv.getPreProcessor() instanceof CnnToFeedForwardPreProcessor);
            if (!flatten) {
                return false;
            }
        }
        return true;
    }

    /** True if the pooling layer {@code name} reduces its whole input map to one pixel. */
    private static boolean wholeMapPool(ComputationGraphConfiguration conf, String name, Map<String, InputType> types,
                                        Map<String, List<String>> inputs) {
        if (!(conf.getVertices().get(name) instanceof LayerVertex lv)
                || !(lv.getLayerConf().getLayer() instanceof SubsamplingLayer s)
                || !(types.get(inputs.get(name).get(0)) instanceof InputType.InputTypeConvolutional c)) {
            return false;
        }
        int[] pad = s.getPadding();
        return s.getKernelSize()[0] == c.getHeight() && s.getKernelSize()[1] == c.getWidth()
                && (pad == null || (pad[0] == 0 && pad[1] == 0))
                && (s.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.AVG
                || s.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX);
    }

    /** Marks the Dense layers reading a multi-pixel Flatten (directly or through Dropout/Activation layers). */
    private static void markReorder(String flatten, InputType.InputTypeConvolutional c, Map<String,
            List<String>> consumers, ComputationGraphConfiguration conf, Map<String, long[]> reorderRows) {
        for (String next : consumers.getOrDefault(flatten, List.of())) {
            Layer l = conf.getVertices().get(next) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
            if (l instanceof FeedForwardLayer && !(l instanceof DropoutLayer)) {
                reorderRows.put(next, new long[]{c.getHeight(), c.getWidth(), c.getChannels()});
            } else if (l instanceof DropoutLayer || l instanceof ActivationLayer) {
                markReorder(next, c, consumers, conf, reorderRows);
            }
        }
    }

    /** Sets every CNN2DFormat property of a layer or preprocessor (whatever its setter is named) to NCHW. */
    private static void toNchw(Object o) throws ModelLoadException {
        for (Method m : o.getClass().getMethods()) {
            if (m.getName().startsWith("set") && m.getParameterCount() == 1
                    && m.getParameterTypes()[0] == CNN2DFormat.class) {
                try {
                    m.invoke(o, CNN2DFormat.NCHW);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new ModelLoadException("could not switch " + o.getClass().getSimpleName()
                            + " to channels-first (" + e + ")", e);
                }
            }
        }
    }

    /** Copies every layer's parameters by name, reordering Dense rows behind a multi-pixel Flatten. */
    private static void copyParams(ComputationGraph from, ComputationGraph to, Map<String, long[]> reorderRows) {
        for (org.deeplearning4j.nn.api.Layer l : to.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            Map<String, INDArray> src = from.getLayer(name).paramTable();
            for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
                INDArray value = src.get(p.getKey());
                long[] hwc = reorderRows.get(name);
                if (hwc != null && "W".equals(p.getKey())) {
                    value = value.reshape('c', hwc[0], hwc[1], hwc[2], value.size(1))
                            .permute(2, 0, 1, 3).dup('c').reshape('c', value.size(0), value.size(1));
                }
                p.getValue().assign(value);
            }
        }
    }

    private static Map<String, List<String>> consumers(ComputationGraphConfiguration conf) {
        Map<String, List<String>> out = new HashMap<>();
        conf.getVertexInputs().forEach((v, ins) -> ins.forEach(i -> out.computeIfAbsent(i, k -> new ArrayList<>()).add(v)));
        return out;
    }

    private static String resolve(Map<String, String> alias, String name) {
        String n = name;
        while (alias.containsKey(n)) {
            n = alias.get(n);
        }
        return n;
    }
}
