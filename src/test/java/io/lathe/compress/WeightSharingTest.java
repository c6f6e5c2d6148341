package io.lathe.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightSharingTest {
    private static float[] weights(int n, double zeroFraction, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = rnd.nextDouble() < zeroFraction ? 0f : (float) (rnd.nextGaussian() * 0.1);
        }
        return w;
    }

    @ParameterizedTest
    @CsvSource({"1, 0.0", "2, 0.3", "4, 0.5", "5, 0.0", "8, 0.2"})
    void codebookHasAtMostTwoToTheBitsValuesAndIndicesRoundTrip(int bits, double zeros) {
        float[] w = weights(3000, zeros, bits);
        WeightSharing.Codebook cb = WeightSharing.cluster(w, bits);
        assertThat(cb.centroids().length).isLessThanOrEqualTo(1 << bits).isGreaterThan(0);
        float[] decoded = cb.decode();
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0f) {
                assertThat(cb.index()[i]).isEqualTo(-1);
                assertThat(decoded[i]).isZero();
            } else {
                assertThat(cb.index()[i]).isBetween(0, cb.centroids().length - 1);
                assertThat(decoded[i]).isEqualTo(cb.centroids()[cb.index()[i]]);
                float nearest = nearest(cb.centroids(), w[i]);
                assertThat(Math.abs(decoded[i] - w[i])).isCloseTo(Math.abs(nearest - w[i]), within(1e-7f));
            }
        }
        WeightSharing.Codebook again = new WeightSharing.Codebook(bits, cb.centroids(), cb.index());
        assertThat(again.decode()).containsExactly(decoded);
    }

    private static float nearest(float[] c, float v) {
        float best = c[0];
        for (float x : c) {
            if (Math.abs(x - v) < Math.abs(best - v)) {
                best = x;
            }
        }
        return best;
    }

    @Test
    void moreCentroidsGiveSmallerError() {
        float[] w = weights(5000, 0, 3);
        assertThat(error(w, 4)).isLessThan(error(w, 2));
        assertThat(error(w, 6)).isLessThan(error(w, 4));
    }

    private static double error(float[] w, int bits) {
        float[] d = WeightSharing.cluster(w, bits).decode();
        double e = 0;
        for (int i = 0; i < w.length; i++) {
            e += (d[i] - w[i]) * (d[i] - w[i]);
        }
        return e;
    }

    @Test
    void refitMovesEachCentroidToItsMembersMean() {
        float[] w = weights(1000, 0.2, 9);
        WeightSharing.Codebook cb = WeightSharing.cluster(w, 3);
        float[] updated = cb.decode();
        for (int i = 0; i < updated.length; i++) {
            if (cb.index()[i] == 0) {
                updated[i] += (i % 2 == 0) ? 0.01f : 0.03f;
            }
        }
        WeightSharing.Codebook refit = cb.refit(updated);
        assertThat(refit.index()).isEqualTo(cb.index());
        double mean = 0;
        int n = 0;
        for (int i = 0; i < updated.length; i++) {
            if (cb.index()[i] == 0) {
                mean += updated[i];
                n++;
            }
        }
        assertThat(refit.centroids()[0]).isCloseTo((float) (mean / n), within(1e-6f));
        assertThat(Arrays.copyOfRange(refit.centroids(), 1, refit.centroids().length))
                .containsExactly(Arrays.copyOfRange(cb.centroids(), 1, cb.centroids().length));
    }

    @Test
    void sharedLayerIsSmallerThanItsFp32Weights() {
        float[] w = weights(64 * 64 * 9, 0, 4);
        CompressedLayer l = CompressedLayer.of("c", new long[]{64, 64, 3, 3}, w, PruneSetting.NONE,
                QuantSetting.NONE, ShareSetting.bits(4), null);
        assertThat(l.codebook()).isNotNull();
        assertThat(l.effectiveBits()).isEqualTo(4);
        assertThat(l.sizeBits()).isEqualTo(4L * w.length + 32L * l.codebook().centroids().length);
        assertThat(Arrays.stream(box(l.weights())).distinct().count()).isLessThanOrEqualTo(16);
    }

    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
