package io.lathe.session;

import io.lathe.compress.Granularity;
import io.lathe.compress.OriginalWeights;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.Pruner;
import io.lathe.compress.WeightLayout;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WeightTableTest {
    private static OriginalWeights originals;
    private static WeightTable table;

    @BeforeAll
    static void build() throws Exception {
        LoadedModel m = TinyModels.model();
        originals = OriginalWeights.of(m.graph(), LayerTree.of(m));
        table = WeightTable.of(originals);
    }

    private static float[] filters(String layer) {
        return WeightLayout.of(originals.shape(layer)).toFilters(originals.weights(layer));
    }

    @ParameterizedTest
    @CsvSource({"stage2.block0.conv1, element, 0.3", "stage2.block0.conv1, channel, 0.5",
            "stage3.block0.conv2, block, 0.7", "fc, element, 0.9"})
    void thresholdForAgreesWithPruner(String layer, String granularity, double sparsity) {
        PruneSetting s = PruneSetting.sparsity(Granularity.parse(granularity), sparsity);
        WeightLayout layout = WeightLayout.of(originals.shape(layer));
        assertThat(table.thresholdFor(layer, s, sparsity))
                .isEqualTo(Pruner.thresholdFor(filters(layer), layout, s, sparsity));
    }

    @ParameterizedTest
    @CsvSource({"stage2.block0.conv1, element, 0.3", "stage2.block0.conv1, channel, 0.5",
            "stage3.block0.conv2, block, 0.7", "fc, element, 0.9"})
    void sparsityAtAThresholdAgreesWithThePrunersMask(String layer, String granularity, double sparsity) {
        PruneSetting s = PruneSetting.sparsity(Granularity.parse(granularity), sparsity);
        WeightLayout layout = WeightLayout.of(originals.shape(layer));
        double t = table.thresholdFor(layer, s, sparsity);
        assertThat(table.sparsityAt(layer, s, t)).isEqualTo(Pruner.sparsityAt(filters(layer), layout, s, t));
    }

    @Test
    void thresholdAndSparsityRoundTrip() {
        PruneSetting s = PruneSetting.sparsity(Granularity.ELEMENT, 0.7);
        double t = table.thresholdFor("stage2.block0.conv2", s, 0.7);
        assertThat(table.sparsityAt("stage2.block0.conv2", s, t)).isCloseTo(0.7, within(1.0 / table.size("stage2.block0.conv2")));
    }

    @Test
    void sparsityOfASparsitySettingIsTheMasksSparsity() {
        PruneSetting s = PruneSetting.sparsity(Granularity.BLOCK, 0.45);
        WeightLayout layout = WeightLayout.of(originals.shape("stage3.block0.conv1"));
        double expected = Pruner.sparsity(Pruner.mask(filters("stage3.block0.conv1"), layout, s));
        assertThat(table.sparsityOf("stage3.block0.conv1", s)).isEqualTo(expected);
    }

    @Test
    void histogramCountsEveryWeightOnce() {
        PruneSetting s = PruneSetting.NONE;
        String layer = "stage1.block0.conv1";
        WeightTable.Histogram h = table.histogram(layer, s, 40, table.maxImportance(layer, s));
        assertThat(java.util.Arrays.stream(h.counts()).sum()).isEqualTo(table.size(layer));
        assertThat(h.counts()[39]).isPositive();
    }

    @Test
    void unknownLayerIsRefusedByName() {
        assertThatThrownBy(() -> table.size("stem.bn")).hasMessageContaining("stem.bn");
    }
}
