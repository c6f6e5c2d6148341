package io.lathe.train;

import io.lathe.compress.Plan;
import io.lathe.compress.QuantSetting;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What fine-tuning plugs into a network's configuration and must take out again before the network
 * is saved or exported: one {@link FakeQuantizer} per quantized layer (QAT) and the
 * {@link DistillationLoss} on the output layer. Not thread-safe.
 */
final class TrainingHooks {
    private final Map<String, FakeQuantizer> quantizers = new LinkedHashMap<>();
    private final String outputLayer;
    private final ILossFunction originalLoss;
    private final DistillationLoss distillation;

    private TrainingHooks(String outputLayer, ILossFunction originalLoss, DistillationLoss distillation) {
        this.outputLayer = outputLayer;
        this.originalLoss = originalLoss;
        this.distillation = distillation;
    }

    /** Hooks for {@code net}: fake quantizers where {@code plan} quantizes (if {@code qat}), distillation if given. */
    static TrainingHooks of(ComputationGraph net, Plan plan, Iterable<String> prunable, boolean qat, Distillation d) {
        String out = net.getConfiguration().getNetworkOutputs().get(0);
        if (!(net.getLayer(out).conf().getLayer() instanceof BaseOutputLayer ol)) {
            throw new IllegalArgumentException("the network's output '" + out + "' is not an output layer with a loss");
        }
        TrainingHooks h = new TrainingHooks(out, ol.getLossFn(), d == null ? null : new DistillationLoss(d));
        if (qat) {
            for (String layer : prunable) {
                QuantSetting q = plan.quantOf(layer);
                if (!q.isNone() && plan.shareOf(layer).isNone()) {
                    h.quantizers.put(layer, new FakeQuantizer(q));
                }
            }
        }
        return h;
    }

    /** Puts the hooks into {@code net}'s configuration. */
    void attach(ComputationGraph net) {
        quantizers.forEach((layer, fq) -> ((BaseLayer) net.getLayer(layer).conf().getLayer()).setWeightNoise(fq));
        if (distillation != null) {
            ((BaseOutputLayer) net.getLayer(outputLayer).conf().getLayer()).setLossFn(distillation);
        }
    }

    /** Takes the hooks out, leaving a configuration that saves and loads like the original. */
    void detach(ComputationGraph net) {
        quantizers.keySet().forEach(layer -> ((BaseLayer) net.getLayer(layer).conf().getLayer()).setWeightNoise(null));
        if (distillation != null) {
            ((BaseOutputLayer) net.getLayer(outputLayer).conf().getLayer()).setLossFn(originalLoss);
        }
    }

    /** Layers trained with fake quantization. */
    Map<String, FakeQuantizer> quantizers() {
        return quantizers;
    }

    boolean distilling() {
        return distillation != null;
    }
}
