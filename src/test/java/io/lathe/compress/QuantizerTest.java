package io.lathe.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class QuantizerTest {
    private static final WeightLayout CONV = new WeightLayout(true, 6, 3, 9);

    private static float[] weights(long seed) {
        Random r = new Random(seed);
        float[] w = new float[CONV.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * (0.05f + 0.05f * (i / CONV.perFilter()));
        }
        return w;
    }

    @ParameterizedTest
    @CsvSource({"8,true", "8,false", "4,true", "4,false", "2,true"})
    void perChannelRoundTripErrorIsAtMostHalfAScale(int bits, boolean symmetric) {
        float[] original = weights(1);
        float[] q = original.clone();
        Quantizer.Scale[] scales = Quantizer.quantize(q, CONV, new QuantSetting(bits, true, symmetric));
        assertThat(scales).hasSize(CONV.filters());
        for (int i = 0; i < q.length; i++) {
            float scale = scales[i / CONV.perFilter()].scale();
            assertThat(Math.abs(q[i] - original[i])).isLessThanOrEqualTo(scale / 2 + 1e-7f);
        }
    }

    @Test
    void eightBitPerChannelUsesAtMost255Levels() {
        float[] q = weights(2);
        Quantizer.Scale[] scales = Quantizer.quantize(q, CONV, QuantSetting.bits(8));
        for (int i = 0; i < q.length; i++) {
            int code = Quantizer.code(q[i], scales[i / CONV.perFilter()]);
            assertThat(code).isBetween(-127, 127);
        }
    }

    @ParameterizedTest
    @CsvSource({"8,true", "4,true", "3,false", "16,true"})
    void prunedZerosStayZeroAfterQuantization(int bits, boolean symmetric) {
        float[] w = weights(3);
        CompressedLayer c = CompressedLayer.of("l", new long[]{6, 3, 3, 3}, w,
                PruneSetting.sparsity(Granularity.ELEMENT, 0.7), new QuantSetting(bits, true, symmetric));
        for (int i = 0; i < w.length; i++) {
            if (!c.keep()[i]) {
                assertThat(c.weights()[i]).isEqualTo(0f);
            }
        }
        assertThat(c.sparsity()).isGreaterThanOrEqualTo(Math.round(0.7 * w.length) / (double) w.length);
    }

    @Test
    void fp16RoundingMatchesHalfPrecisionSpacing() {
        assertThat(Quantizer.Half.round(1.0f)).isEqualTo(1.0f);
        assertThat(Quantizer.Half.round(1.0f + 1.0f / 4096)).isEqualTo(1.0f);
        assertThat(Quantizer.Half.round(1.0f + 1.0f / 1024)).isEqualTo(1.0f + 1.0f / 1024);
        assertThat(Quantizer.Half.round(65504f)).isEqualTo(65504f);
        assertThat(Quantizer.Half.round(1e-8f)).isEqualTo(0f);
        assertThat(Quantizer.Half.round(-0.333333f)).isCloseTo(-0.333333f, org.assertj.core.data.Offset.offset(2e-4f));
    }

    @Test
    void perTensorQuantizationHasOneScale() {
        float[] q = weights(4);
        assertThat(Quantizer.quantize(q, CONV, new QuantSetting(8, false, true))).hasSize(1);
    }
}
