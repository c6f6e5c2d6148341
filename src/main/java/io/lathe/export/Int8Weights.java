package io.lathe.export;

import io.lathe.compress.Quantizer;
import io.lathe.compress.WeightLayout;

/**
 * Int8 per-output-channel symmetric weights for the ONNX INT8 model: the plan's own integer codes when
 * the plan quantized the layer symmetrically per channel (the folded scale carried along), otherwise a
 * fresh int8 quantization of the (fp32) weights with scale max|w|/127.
 *
 * @param codes  int8 codes, DL4J order
 * @param scales one scale per output channel
 * @param fromPlan true when the plan's codes were used as they are
 */
record Int8Weights(byte[] codes, float[] scales, boolean fromPlan) {

    static Int8Weights of(float[] dl4j, WeightLayout layout, WeightCoding plan) {
        float[] f = layout.toFilters(dl4j);
        int per = layout.perFilter();
        byte[] codes = new byte[f.length];
        float[] scales = new float[layout.filters()];
        boolean usePlan = plan != null && plan.quant().isInteger() && plan.quant().symmetric()
                && plan.scales().length == layout.filters();
        for (int o = 0; o < layout.filters(); o++) {
            float scale;
            if (usePlan) {
                scale = plan.scales()[o];
            } else {
                float max = 0;
                for (int j = 0; j < per; j++) {
                    max = Math.max(max, Math.abs(f[o * per + j]));
                }
                scale = max / 127f;
            }
            scales[o] = scale == 0 ? 1f : Math.abs(scale);
            for (int j = 0; j < per; j++) {
                int code = scale == 0 ? 0 : Quantizer.code(f[o * per + j], new Quantizer.Scale(scales[o], 0));
                codes[o * per + j] = (byte) Math.max(-127, Math.min(127, code));
            }
        }
        byte[] dl = new byte[codes.length];
        if (layout.conv()) {
            return new Int8Weights(codes, scales, usePlan);
        }
        for (int i = 0; i < layout.inChannels(); i++) {
            for (int o = 0; o < layout.filters(); o++) {
                dl[i * layout.filters() + o] = codes[o * layout.inChannels() + i];
            }
        }
        return new Int8Weights(dl, scales, usePlan);
    }
}
