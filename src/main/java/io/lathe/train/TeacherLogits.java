package io.lathe.train;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The teacher of a distillation: a private copy of the uncompressed network whose softmax output is
 * switched to identity, so it returns logits. The model the copy was taken from is not touched.
 * Not thread-safe (engine thread only).
 */
public final class TeacherLogits {
    private final ComputationGraph net;

    public TeacherLogits(ComputationGraph teacher) {
        this.net = teacher.clone();
        String out = net.getConfiguration().getNetworkOutputs().get(0);
        if (!(net.getLayer(out).conf().getLayer() instanceof BaseLayer bl)
                || !(bl.getActivationFn() instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("the teacher needs a softmax output layer to distil from");
        }
        bl.setActivationFn(new ActivationIdentity());
    }

    /** The teacher's logits for a batch (inference mode: BatchNorm uses its running statistics). */
    public INDArray logits(INDArray features) {
        return net.outputSingle(false, features);
    }
}
