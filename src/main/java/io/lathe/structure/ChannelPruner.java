package io.lathe.structure;

import io.lathe.compress.ChannelSelection;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Physically removes output channels: builds a new, smaller network with the same topology (fewer
 * filters per convolution, matching next-layer inputs, sliced BatchNorm statistics, a narrower
 * classifier input) and copies the surviving weights. The original network is not touched.
 * Channels are followed through BatchNorm, activations, pooling, residual Adds (whose inputs must keep
 * identical channels, as {@link io.lathe.compress.ChannelPlanner} ensures for coupling groups) and
 * concatenations; anything else fed by a pruned layer is refused with a clear message.
 */
public final class ChannelPruner {
    private ChannelPruner() {
    }

    /** The smaller network that keeps only the selected channels of {@code model}. */
    public static ComputationGraph prune(LoadedModel model, LayerTree tree, ChannelSelection selection) {
        ComputationGraph source = model.graph();
        ComputationGraphConfiguration conf = source.getConfiguration().clone();
        Map<String, int[]> outKept = new HashMap<>();
        Map<String, int[]> inKept = new HashMap<>();
        for (String in : conf.getNetworkInputs()) {
            outKept.put(in, identity(model.inputShape()[0]));
        }
        for (LayerInfo l : tree.layers()) {
            GraphVertex v = conf.getVertices().get(l.name());
            List<String> ins = l.inputs();
            int[] out;
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                int[] in = ins.isEmpty() ? null : outKept.get(ins.get(0));
                if (layer instanceof ConvolutionLayer || l.kind() == LayerKind.DENSE || l.kind() == LayerKind.OUTPUT) {
                    FeedForwardLayer ff = (FeedForwardLayer) layer;
                    in = inputFor(l, tree, in, ff.getNIn());
                    int[] sel = selection.keptOf(l.name());
                    out = sel != null ? sel : identity((int) ff.getNOut());
                    if (layer instanceof ConvolutionLayer && l.kind() != LayerKind.CONV
                            && (sel != null || in.length != ff.getNIn())) {
                        throw new IllegalArgumentException("cannot remove channels around '" + l.name() + "' ("
                                + l.typeName() + "): only standard convolutions are supported");
                    }
                    ff.setNIn(in.length);
                    ff.setNOut(out.length);
                    inKept.put(l.name(), in);
                } else if (layer instanceof FeedForwardLayer ff) {
                    out = in;
                    ff.setNIn(in.length);
                    ff.setNOut(in.length);
                    inKept.put(l.name(), in);
                } else {
                    out = in;
                }
            } else if (v instanceof MergeVertex) {
                out = concat(ins, outKept, tree);
            } else {
                out = sameForAll(l, ins, outKept, tree);
            }
            outKept.put(l.name(), out);
        }
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        ComputationGraph target = new ComputationGraph(conf);
        target.init();
        copyParams(source, target, tree, inKept, outKept);
        return target;
    }

    /** The input channels a weight layer sees; a pruned source must reach it as plain features. */
    private static int[] inputFor(LayerInfo l, LayerTree tree, int[] in, long nIn) {
        if (in == null) {
            return identity((int) nIn);
        }
        if (in.length != nIn && nIn != tree.layer(l.inputs().get(0)).outChannels()) {
            throw new IllegalArgumentException("cannot remove channels feeding '" + l.name() + "': it reads "
                    + nIn + " flattened features, not one per channel; prune layers before a global pooling only");
        }
        return in;
    }

    private static int[] sameForAll(LayerInfo l, List<String> ins, Map<String, int[]> outKept, LayerTree tree) {
        int[] first = ins.isEmpty() ? new int[0] : outKept.get(ins.get(0));
        for (String in : ins) {
            int[] k = outKept.get(in);
            if (l.kind() == LayerKind.ADD) {
                if (!Arrays.equals(k, first)) {
                    throw new IllegalArgumentException("the inputs of residual Add '" + l.name()
                            + "' keep different channels; prune their coupling group together");
                }
            } else if (k != null && k.length != sourceChannels(in, tree)) {
                throw new IllegalArgumentException("cannot remove channels feeding '" + l.name() + "' ("
                        + l.typeName() + "): Lathe cannot narrow that vertex type");
            }
        }
        return first;
    }

    private static int[] concat(List<String> ins, Map<String, int[]> outKept, LayerTree tree) {
        int total = 0;
        for (String in : ins) {
            total += outKept.get(in).length;
        }
        int[] out = new int[total];
        int k = 0;
        int offset = 0;
        for (String in : ins) {
            for (int c : outKept.get(in)) {
                out[k++] = offset + c;
            }
            offset += sourceChannels(in, tree);
        }
        return out;
    }

    private static long sourceChannels(String vertex, LayerTree tree) {
        LayerInfo info = tree.layer(vertex);
        return info == null ? -1 : info.outChannels();
    }

    private static void copyParams(ComputationGraph source, ComputationGraph target, LayerTree tree,
                                   Map<String, int[]> inKept, Map<String, int[]> outKept) {
        for (org.deeplearning4j.nn.api.Layer layer : target.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            org.deeplearning4j.nn.api.Layer old = source.getLayer(name);
            int[] in = inKept.get(name);
            int[] out = outKept.get(name);
            boolean dense = tree.layer(name) != null && (tree.layer(name).kind() == LayerKind.DENSE
                    || tree.layer(name).kind() == LayerKind.OUTPUT);
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                INDArray from = old.getParam(e.getKey());
                INDArray to = e.getValue();
                to.assign(Nd4j.create(slice(from, e.getKey(), dense, in, out), to.shape(), 'c'));
            }
        }
    }

    /** One parameter's surviving values, in C order of the new shape. */
    static float[] slice(INDArray from, String key, boolean dense, int[] in, int[] out) {
        float[] v = from.dup('c').data().asFloat();
        long[] s = from.shape();
        if (s.length == 4) {
            int per = (int) (s[2] * s[3]);
            int nIn = (int) s[1];
            float[] r = new float[out.length * in.length * per];
            int k = 0;
            for (int o : out) {
                for (int i : in) {
                    System.arraycopy(v, (o * nIn + i) * per, r, k, per);
                    k += per;
                }
            }
            return r;
        }
        if (dense && "W".equals(key) && s.length == 2) {
            int nOut = (int) s[1];
            float[] r = new float[in.length * out.length];
            for (int a = 0; a < in.length; a++) {
                for (int b = 0; b < out.length; b++) {
                    r[a * out.length + b] = v[in[a] * nOut + out[b]];
                }
            }
            return r;
        }
        if (out.length == v.length) {
            return v;
        }
        float[] r = new float[out.length];
        for (int b = 0; b < out.length; b++) {
            r[b] = v[out[b]];
        }
        return r;
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
