package io.lathe.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PrunerTest {
    private static final WeightLayout CONV = new WeightLayout(true, 8, 4, 9);

    private static float[] randomWeights(int n, long seed) {
        Random r = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian() * 0.1f;
        }
        return w;
    }

    @Test
    void thresholdZeroChangesNothing() {
        float[] w = randomWeights(CONV.size(), 1);
        CompressedLayer c = CompressedLayer.of("l", new long[]{8, 4, 3, 3}, w,
                PruneSetting.threshold(Granularity.ELEMENT, 0.0), QuantSetting.NONE);
        assertThat(c.weights()).containsExactly(w);
        assertThat(c.sparsity()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"ELEMENT", "BLOCK", "CHANNEL"})
    void sparsityRisesMonotonicallyWithThreshold(Granularity g) {
        float[] w = randomWeights(CONV.size(), 2);
        PruneSetting s = PruneSetting.threshold(g, 0);
        double previous = -1;
        for (double t = 0; t <= 0.3; t += 0.01) {
            double sp = Pruner.sparsityAt(w, CONV, s, t);
            assertThat(sp).isGreaterThanOrEqualTo(previous);
            previous = sp;
        }
        assertThat(previous).isGreaterThan(0.9);
    }

    @Test
    void channelMasksRemoveWholeFilters() {
        float[] w = randomWeights(CONV.size(), 3);
        boolean[] keep = Pruner.mask(w, CONV, PruneSetting.sparsity(Granularity.CHANNEL, 0.5));
        int removedFilters = 0;
        for (int o = 0; o < CONV.filters(); o++) {
            boolean first = keep[o * CONV.perFilter()];
            for (int j = 0; j < CONV.perFilter(); j++) {
                assertThat(keep[o * CONV.perFilter() + j]).isEqualTo(first);
            }
            removedFilters += first ? 0 : 1;
        }
        assertThat(removedFilters).isEqualTo(4);
    }

    @Test
    void channelPruningRemovesTheFiltersWithSmallestL1() {
        float[] w = randomWeights(CONV.size(), 4);
        for (int j = 0; j < CONV.perFilter(); j++) {
            w[5 * CONV.perFilter() + j] *= 0.01f;
        }
        boolean[] keep = Pruner.mask(w, CONV, PruneSetting.sparsity(Granularity.CHANNEL, 1.0 / 8));
        assertThat(keep[5 * CONV.perFilter()]).isFalse();
        assertThat(Pruner.sparsity(keep)).isEqualTo(1.0 / 8);
    }

    @ParameterizedTest
    @CsvSource({"1x4", "2x2", "1x2", "4x4"})
    void blockMasksAreConstantWithinEachBlock(String shape) {
        float[] w = randomWeights(CONV.size(), 5);
        PruneSetting s = PruneSetting.sparsity(Granularity.BLOCK, 0.5).withBlockShape(shape);
        boolean[] keep = Pruner.mask(w, CONV, s);
        WeightLayout.Groups groups = CONV.groups(Granularity.BLOCK, BlockShape.parse(shape));
        Boolean[] groupKeep = new Boolean[groups.count()];
        for (int i = 0; i < keep.length; i++) {
            int g = groups.groupOf()[i];
            if (groupKeep[g] == null) {
                groupKeep[g] = keep[i];
            }
            assertThat(keep[i]).isEqualTo(groupKeep[g]);
        }
        BlockShape b = BlockShape.parse(shape);
        for (int i = 0; i < keep.length; i++) {
            int o = i / CONV.perFilter();
            int r = (i % CONV.perFilter()) / CONV.kernelArea();
            int c = i % CONV.kernelArea();
            int expected = o * groupsPerFilter(b) + (r / b.rows()) * ceil(CONV.kernelArea(), b.cols()) + c / b.cols();
            assertThat(groups.groupOf()[i]).isEqualTo(expected);
        }
    }

    private static int groupsPerFilter(BlockShape b) {
        return ceil(CONV.inChannels(), b.rows()) * ceil(CONV.kernelArea(), b.cols());
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    @ParameterizedTest
    @CsvSource({"0.0", "0.3", "0.5", "0.9"})
    void targetSparsityIsReachedExactlyForElements(double target) {
        float[] w = randomWeights(CONV.size(), 6);
        boolean[] keep = Pruner.mask(w, CONV, PruneSetting.sparsity(Granularity.ELEMENT, target));
        assertThat(Pruner.sparsity(keep)).isCloseTo(target, org.assertj.core.data.Offset.offset(1.0 / CONV.size()));
    }

    @Test
    void thresholdForASparsityReproducesThatSparsity() {
        float[] w = randomWeights(CONV.size(), 7);
        PruneSetting s = PruneSetting.sparsity(Granularity.ELEMENT, 0.6);
        double t = Pruner.thresholdFor(w, CONV, s, 0.6);
        assertThat(Pruner.sparsityAt(w, CONV, s, t)).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void denseLayoutTransposesAndBack() {
        WeightLayout dense = WeightLayout.of(new long[]{5, 3});
        float[] w = randomWeights(15, 8);
        float[] f = dense.toFilters(w);
        assertThat(f[2 * 5 + 4]).isEqualTo(w[4 * 3 + 2]);
        assertThat(dense.toDl4j(f)).containsExactly(w);
    }
}
