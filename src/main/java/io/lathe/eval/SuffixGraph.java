package io.lathe.eval;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of a network after a cut point, as its own ComputationGraph whose input is the cut
 * point's activation: the same layer configurations, parameters copied from a source network, and
 * optionally later cut points as extra outputs (to cache their activations on the way). Built for
 * training-mode passes ({@link #build}: the layers as they are) or for inference
 * ({@link #forInference}: as an {@link InferenceGraph}, whose cut activations are in its own layout).
 * Not thread-safe (a DL4J network).
 */
final class SuffixGraph {
    private final String start;
    private final List<String> outputs;
    private final ComputationGraph net;
    private final InferenceGraph inference;
    private final boolean fromInput;

    private SuffixGraph(String start, List<String> outputs, ComputationGraph net, InferenceGraph inference,
                        boolean fromInput) {
        this.start = start;
        this.outputs = outputs;
        this.net = net;
        this.inference = inference;
        this.fromInput = fromInput;
    }

    /**
     * Builds the network after {@code start} (a cut point, or the network input for the whole
     * network) with outputs: the network's own output first, then {@code extraOutputs} (later cut
     * points) in the given order.
     */
    static SuffixGraph build(ComputationGraph source, CutPoints cuts, String start, List<String> extraOutputs) {
        return build(source, cuts, start, extraOutputs, false);
    }

    /**
     * As {@link #build}, as an {@link InferenceGraph} (BatchNorm folded; NHWC when the whole source
     * network allows it, so the extra outputs are NHWC too and a suffix from a cut takes them as they
     * are). For inference-mode runs only.
     */
    static SuffixGraph forInference(ComputationGraph source, CutPoints cuts, String start, List<String> extraOutputs) {
        return build(source, cuts, start, extraOutputs, true);
    }

    private static SuffixGraph build(ComputationGraph source, CutPoints cuts, String start, List<String> extraOutputs,
                                     boolean inference) {
        if (!cuts.isCut(start)) {
            throw new IllegalArgumentException("'" + start + "' is not a single-tensor cut point of the network");
        }
        ComputationGraphConfiguration conf = source.getConfiguration().clone();
        if (!start.equals(cuts.input())) {
            for (String v : cuts.prefixOf(start)) {
                conf.getVertices().remove(v);
                conf.getVertexInputs().remove(v);
            }
            conf.getVertices().remove(start);
            conf.getVertexInputs().remove(start);
            conf.setNetworkInputs(new ArrayList<>(List.of(start)));
        }
        List<String> outs = new ArrayList<>(source.getConfiguration().getNetworkOutputs());
        for (String e : extraOutputs) {
            if (!cuts.dependsOn(e, start)) {
                throw new IllegalArgumentException("'" + e + "' is not after '" + start + "'");
            }
            outs.add(e);
        }
        conf.setNetworkOutputs(outs);
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        // Training-mode passes (BatchNorm calibration) ask for several outputs; with workspaces DL4J M2.1's
        // outputOfLayersDetached can hand a null workspace manager to a later vertex (deeplearning4j#10034).
        // A suffix never trains, so its training mode goes without workspaces; inference keeps them.
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        boolean fromInput = start.equals(cuts.input());
        SuffixGraph g;
        if (inference) {
            InferenceGraph ig = InferenceGraph.build(conf, InferenceGraph.canRunChannelsLast(source.getConfiguration()));
            g = new SuffixGraph(start, List.copyOf(outs), ig.network(), ig, fromInput);
        } else {
            ComputationGraph net = new ComputationGraph(conf);
            net.init();
            g = new SuffixGraph(start, List.copyOf(outs), net, null, fromInput);
        }
        g.copyParams(source);
        return g;
    }

    /**
     * Copies every layer's parameters from {@code source} (a network with the same layer names), and
     * the activation function of its activation layers (a plan's activation thresholds).
     */
    void copyParams(ComputationGraph source) {
        if (inference != null) {
            inference.copyParams(source);
            return;
        }
        for (Layer l : net.getLayers()) {
            if (l.numParams() == 0) {
                if (l.conf().getLayer() instanceof ActivationLayer mine
                        && source.getLayer(mine.getLayerName()).conf().getLayer() instanceof ActivationLayer theirs
                        && !mine.getActivationFn().equals(theirs.getActivationFn())) {
                    mine.setActivationFn(theirs.getActivationFn());
                }
                continue;
            }
            String name = l.conf().getLayer().getLayerName();
            INDArray from = source.getLayer(name).params();
            l.params().assign(from);
        }
    }

    /**
     * Runs the suffix in inference mode; returns the network output then the extra outputs. From the
     * network input, {@code cutActivation} is the NCHW batch; from a cut, an activation this class's
     * inference suffixes computed.
     */
    INDArray[] run(INDArray cutActivation) {
        if (inference != null) {
            return inference.run(fromInput ? inference.input(cutActivation) : cutActivation);
        }
        return net.output(false, cutActivation);
    }

    /**
     * Runs the suffix in training mode (BatchNorm normalizes with batch statistics); nothing is updated.
     * Only for suffixes from {@link #build}.
     * Returns only the network output and the extra outputs, like {@link #run}: asking for every
     * vertex's activation ({@code feedForward}) copied each one out of DL4J's workspace, which cost
     * more than the BatchNorm calibration's arithmetic.
     */
    INDArray[] runTraining(INDArray cutActivation) {
        if (inference != null) {
            throw new IllegalStateException("an inference suffix has no training mode (its BatchNorm is folded)");
        }
        return net.output(true, cutActivation);
    }

    /** The cut point this suffix starts from. */
    String start() {
        return start;
    }

    /** Output names: the network output, then the extra cut points. */
    List<String> outputs() {
        return outputs;
    }

    /** The underlying network (for tests). */
    ComputationGraph network() {
        return net;
    }
}
