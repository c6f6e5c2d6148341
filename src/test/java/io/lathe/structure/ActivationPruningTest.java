package io.lathe.structure;

import io.lathe.TinyResNet;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActivationPruningTest {
    /** One block per stage, widths 8/16/16, 12×12 grey images, three classes, random BatchNorm statistics. */
    private static final TinyResNet NET = TinyResNet.of(1, 8, 16, 16).withInput(1, 12).withNorms(TinyResNet.Norms.RANDOM);

    private static LoadedModel model;
    private static LayerTree tree;
    private static LabeledImages images;

    @BeforeAll
    static void build() throws Exception {
        model = NET.withSeed(13).model("tiny");
        tree = LayerTree.of(model);
        float[] px = NET.randomInput(64, 2).data().asFloat();
        images = new LabeledImages("random", px, new int[64], 1, 12, 12, 3, new String[]{"a", "b", "c"});
    }

    @Test
    void thresholdReachesTheTargetSparsityOnTheCalibrationImages() {
        String layer = "stage1.block0.relu1";
        assertThat(ActivationPruning.targets(model, tree)).contains(layer, "stem.relu", "stage3.block0.relu2");
        double before = ActivationPruning.sparsity(model.graph(), images, List.of(layer), Progress.none()).get(layer);
        double t = ActivationPruning.thresholdFor(model.graph(), images, layer, 0.85);
        assertThat(t).isPositive();
        ComputationGraph pruned = ActivationPruning.apply(model, tree, Map.of(layer, t));
        double after = ActivationPruning.sparsity(pruned, images, List.of(layer), Progress.none()).get(layer);
        assertThat(before).isLessThan(0.85);
        assertThat(after).isGreaterThanOrEqualTo(0.85).isLessThan(0.9);
    }

    @Test
    void zeroThresholdIsPlainRelu() {
        ComputationGraph same = ActivationPruning.apply(model, tree, Map.of("stem.relu", 0.0));
        var x = NET.randomInput(4, 9);
        assertThat(same.outputSingle(false, x).sub(model.graph().outputSingle(false, x)).amaxNumber().doubleValue())
                .isZero();
    }

    @Test
    void thresholdOnANonActivationLayerIsRefused() {
        assertThatThrownBy(() -> ActivationPruning.apply(model, tree, Map.of("stem.conv", 0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a ReLU activation layer");
    }
}
