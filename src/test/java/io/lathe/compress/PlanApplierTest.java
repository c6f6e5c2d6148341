package io.lathe.compress;

import io.lathe.TinyResNet;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlanApplierTest {
    private static LoadedModel model;
    private static LayerTree tree;
    private static PlanApplier applier;

    @BeforeAll
    static void load() throws Exception {
        model = TinyResNet.of(2, 4, 8, 16).withSeed(2).model("tiny");
        tree = LayerTree.of(model);
        applier = new PlanApplier(model, tree);
    }

    @Test
    void applyingAPlanNeverChangesTheOriginal() {
        INDArray before = model.graph().params().dup();
        CompressedModel cm = applier.apply(Plan.empty("tiny", model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.8), QuantSetting.bits(4)));
        assertThat(model.graph().params()).isEqualTo(before);
        assertThat(cm.graph().params()).isNotEqualTo(before);
    }

    @Test
    void emptyPlanReproducesTheOriginalWeights() {
        CompressedModel cm = applier.apply(Plan.empty("tiny", model.sha256()));
        assertThat(cm.graph().params()).isEqualTo(model.graph().params());
        assertThat(cm.stats().sparsity()).isZero();
        assertThat(cm.stats().sizeBytes()).isEqualTo(cm.stats().fp32Bytes());
    }

    @Test
    void uniformSparsityIsReachedAndReportedInStats() {
        CompressedModel cm = applier.apply(Plan.empty("tiny", model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), QuantSetting.NONE));
        long zeros = 0;
        long total = 0;
        for (var l : tree.prunableLayers()) {
            float[] w = cm.graph().getLayer(l.name()).getParam("W").dup().data().asFloat();
            for (float v : w) {
                zeros += v == 0f ? 1 : 0;
            }
            total += w.length;
        }
        assertThat(cm.stats().sparsity()).isEqualTo((double) zeros / total);
        assertThat(cm.stats().sparsity()).isBetween(0.49, 0.51);
        assertThat(cm.stats().nonZeroParams()).isLessThan(cm.stats().totalParams());
    }

    @Test
    void quantizationShrinksTheStatedSize() {
        CompressedModel q8 = applier.apply(Plan.empty("tiny", model.sha256()).withDefaults(PruneSetting.NONE,
                QuantSetting.bits(8)));
        CompressedModel q4 = applier.apply(Plan.empty("tiny", model.sha256()).withDefaults(PruneSetting.NONE,
                QuantSetting.bits(4)));
        assertThat(q8.stats().sizeBytes()).isLessThan(q8.stats().fp32Bytes());
        assertThat(q4.stats().sizeBytes()).isLessThan(q8.stats().sizeBytes());
    }

    @Test
    void channelPruningZeroesTheFollowingBatchNorm() {
        String conv = "stage2.block0.conv1";
        CompressedModel cm = applier.apply(Plan.empty("tiny", model.sha256()).with(conv,
                new LayerSettings(PruneSetting.sparsity(Granularity.CHANNEL, 0.5), null, false)));
        boolean[] removed = cm.layers().get(conv).removedChannels();
        INDArray gamma = cm.graph().getLayer("stage2.block0.bn1").getParam("gamma");
        int count = 0;
        for (int c = 0; c < removed.length; c++) {
            if (removed[c]) {
                count++;
                assertThat(gamma.getFloat(c)).isZero();
            } else {
                assertThat(gamma.getFloat(c)).isEqualTo(model.graph().getLayer("stage2.block0.bn1").getParam("gamma").getFloat(c));
            }
        }
        assertThat(count).isEqualTo(4);
        assertThat(cm.stats().layers().stream().filter(r -> r.name().equals(conv)).findFirst().orElseThrow().speed())
                .isEqualTo("latency-real");
    }

    @Test
    void elementPruningIsSizeOnly() {
        CompressedModel cm = applier.apply(Plan.empty("tiny", model.sha256()).with("fc",
                new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), null, false)));
        assertThat(cm.stats().layers().stream().filter(r -> r.name().equals("fc")).findFirst().orElseThrow().speed())
                .isEqualTo("size-only");
        assertThat(cm.layers()).containsKeys("fc", "stem.conv");
        assertThat(Map.copyOf(cm.layers())).hasSize(tree.prunableLayers().size());
    }
}
