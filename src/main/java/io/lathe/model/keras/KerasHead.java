package io.lathe.model.keras;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Set;

/**
 * The classifier head of a Keras import and how it becomes one {@link OutputLayer} (softmax,
 * cross-entropy) with the same weights: {@code Dense(activation='softmax')}, {@code Dense} followed by
 * {@code Activation('softmax')} (or by a loss layer), or a linear {@code Dense} that outputs logits (a
 * softmax is then added: top-1 is unchanged). {@link #dense()} is null when the head is none of these.
 *
 * @param dense        the Dense layer that becomes the output layer, or null
 * @param dropped      vertices after it that disappear into the output layer
 * @param softmaxAdded true if the Keras model outputs logits and Lathe added the softmax
 */
record KerasHead(String dense, Set<String> dropped, boolean softmaxAdded) {
    static KerasHead find(ComputationGraphConfiguration conf) {
        String out = conf.getNetworkOutputs().get(0);
        Layer last = layer(conf, out);
        if (last instanceof DenseLayer d) {
            return new KerasHead(out, Set.of(), !(d.getActivationFn() instanceof ActivationSoftmax));
        }
        boolean softmaxAfter = (last instanceof ActivationLayer a && a.getActivationFn() instanceof ActivationSoftmax)
                || (last instanceof LossLayer l && l.getActivationFn() instanceof ActivationSoftmax);
        boolean identityAfter = last instanceof LossLayer l && l.getActivationFn() instanceof ActivationIdentity;
        List<String> in = conf.getVertexInputs().get(out);
        if ((softmaxAfter || identityAfter) && in != null && in.size() == 1 && consumers(conf, in.get(0)) == 1
                && layer(conf, in.get(0)) instanceof DenseLayer d) {
            boolean denseSoftmax = d.getActivationFn() instanceof ActivationSoftmax;
            boolean denseLinear = d.getActivationFn() instanceof ActivationIdentity;
            if ((softmaxAfter && denseLinear) || (identityAfter && (denseSoftmax || denseLinear))) {
                return new KerasHead(in.get(0), Set.of(out), identityAfter && denseLinear);
            }
        }
        return new KerasHead(null, Set.of(), false);
    }

    /** The output layer replacing {@code denseLayer} (a copy of the imported Dense configuration). */
    OutputLayer outputLayer(Layer denseLayer) {
        DenseLayer d = (DenseLayer) denseLayer;
        OutputLayer.Builder b = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(d.getNIn()).nOut(d.getNOut()).activation(new ActivationSoftmax()).hasBias(d.hasBias())
                .weightInit(d.getWeightInitFn());
        if (d.getIUpdater() != null) {
            b.updater(d.getIUpdater());
        }
        OutputLayer o = b.build();
        o.setLayerName(dense);
        return o;
    }

    String describe() {
        return "head '" + dense + "' is an output layer (softmax, cross-entropy)"
                + (dropped.isEmpty() ? "" : " absorbing " + dropped)
                + (softmaxAdded ? "; the Keras model outputs logits, so Lathe added the softmax (top-1 unchanged)" : "");
    }

    private static Layer layer(ComputationGraphConfiguration conf, String name) {
        return conf.getVertices().get(name) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    private static long consumers(ComputationGraphConfiguration conf, String name) {
        return conf.getVertexInputs().values().stream().filter(ins -> ins.contains(name)).count();
    }
}
