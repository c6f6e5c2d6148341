package io.lathe.sensitivity;

import io.lathe.TinyResNet;
import io.lathe.compress.Granularity;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepSpecTest {
    /** One block per stage, 12×12 grey images, four classes (the brightest quadrant). */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8, 8).withInput(1, 12).withClasses(4).withSeed(7);

    private static SweepSpec spec(List<String> layers, double[] s, int[] b) {
        return new SweepSpec(layers, s, b, Granularity.ELEMENT, "1x4", null);
    }

    @Test
    void emptyLayerListIsRefusedWithAHint() {
        assertThatThrownBy(() -> spec(List.of(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer list is empty");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
    void sparsityOutsideZeroToOneIsRefused(double level) {
        assertThatThrownBy(() -> spec(List.of("fc"), new double[]{0.5, level}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 0-1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 33, 64})
    void bitsOutsideTwoToThirtyTwoAreRefused(int bits) {
        assertThatThrownBy(() -> spec(List.of("fc"), null, new int[]{8, bits}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 2-32");
    }

    @Test
    void unsupportedBitWidthInsideTheRangeIsRefused() {
        assertThatThrownBy(() -> spec(List.of("fc"), null, new int[]{12}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not supported");
    }

    @Test
    void unknownAndWeightlessLayersAreNamed() throws Exception {
        LoadedModel m = NET.model("tiny");
        LayerTree tree = LayerTree.of(m);
        assertThatThrownBy(() -> spec(List.of("fc", "stage9.conv"), null, null).checkAgainst(tree))
                .hasMessageContaining("unknown layer [stage9.conv]");
        assertThatThrownBy(() -> spec(List.of("stem.bn"), null, null).checkAgainst(tree))
                .hasMessageContaining("cannot be pruned");
    }

    @Test
    void levelsAreSortedAndDeduplicated() {
        SweepSpec s = spec(List.of("fc", "fc"), new double[]{0.5, 0, 0.5}, new int[]{2, 8, 4, 8});
        assertThat(s.layers()).containsExactly("fc");
        assertThat(s.sparsities()).containsExactly(0, 0.5);
        assertThat(s.bits()).containsExactly(8, 4, 2);
    }
}
