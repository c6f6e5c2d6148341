package io.lathe.train;

import io.lathe.compress.QuantSetting;
import io.lathe.compress.Quantizer;
import io.lathe.compress.WeightLayout;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Quantization-aware training through DL4J's weight-noise hook: the layer computes its forward pass
 * (and the input gradient) with the plan's quantized weights, while the gradient is applied to the
 * fp32 weights it keeps: the straight-through estimator. Quantization is {@link Quantizer}'s, so the
 * forward pass sees exactly the values {@code PlanApplier} exports. Immutable.
 */
public final class FakeQuantizer implements IWeightNoise {
    private static final long serialVersionUID = 1L;
    private final QuantSetting setting;

    public FakeQuantizer(QuantSetting setting) {
        if (setting.isNone()) {
            throw new IllegalArgumentException("32-bit weights need no fake quantizer");
        }
        this.setting = setting;
    }

    public QuantSetting setting() {
        return setting;
    }

    @Override
    public INDArray getParameter(Layer layer, String paramKey, int iteration, int epoch, boolean train,
                                 LayerWorkspaceMgr workspaceMgr) {
        INDArray p = layer.getParam(paramKey);
        return "W".equals(paramKey) ? quantized(p, setting) : p;
    }

    /** A new array with {@code w} (DL4J weight layout) quantized under {@code q}; zeros stay exact. */
    public static INDArray quantized(INDArray w, QuantSetting q) {
        long[] shape = w.shape();
        WeightLayout layout = WeightLayout.of(shape);
        float[] f = layout.toFilters(w.dup('c').data().asFloat());
        Quantizer.quantize(f, layout, q);
        return Nd4j.create(layout.toDl4j(f), shape, 'c').castTo(w.dataType());
    }

    @Override
    public IWeightNoise clone() {
        return this;
    }
}
