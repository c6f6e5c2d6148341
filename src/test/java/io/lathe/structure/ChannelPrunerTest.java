package io.lathe.structure;

import io.lathe.TinyResNet;
import io.lathe.compress.ChannelSelection;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.job.Progress;
import io.lathe.model.CouplingGroup;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChannelPrunerTest {
    /** One block per stage, widths 8/16/16, 12×12 grey images, three classes, random BatchNorm statistics. */
    private static final TinyResNet NET = TinyResNet.of(1, 8, 16, 16).withInput(1, 12).withNorms(TinyResNet.Norms.RANDOM);

    private static LoadedModel model;
    private static LayerTree tree;

    @BeforeAll
    static void build() throws Exception {
        model = NET.withSeed(7).model("tiny");
        tree = LayerTree.of(model);
    }

    private static Plan halfChannels() {
        return Plan.empty(model.name(), model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.CHANNEL, 0.5), QuantSetting.NONE);
    }

    @Test
    void prunedNetworkHasHalfTheFiltersAndMatchingInputs() throws Exception {
        StructuredCompressor.Result r = StructuredCompressor.apply(model, tree, halfChannels(), 1, Progress.none());
        ComputationGraph g = r.model().graph();
        assertThat(g.getLayer("stem.conv").getParam("W").shape()).containsExactly(4, 1, 3, 3);
        assertThat(g.getLayer("stage1.block0.conv1").getParam("W").shape()).containsExactly(4, 4, 3, 3);
        assertThat(g.getLayer("stage2.block0.conv1").getParam("W").shape()).containsExactly(8, 4, 3, 3);
        assertThat(g.getLayer("stage2.block0.shortcut.conv").getParam("W").shape()).containsExactly(8, 4, 1, 1);
        assertThat(g.getLayer("stage2.block0.bn2").getParam("gamma").length()).isEqualTo(8);
        assertThat(g.getLayer("fc").getParam("W").shape()).containsExactly(8, 3);
        assertThat(r.model().parameterCount()).isLessThan(model.parameterCount() / 2);
    }

    @Test
    void prunedNetworkComputesWhatTheMaskedOriginalComputes() throws Exception {
        Plan plan = halfChannels();
        StructuredCompressor.Result r = StructuredCompressor.apply(model, tree, plan, 1, Progress.none());
        CompressedModel masked = new PlanApplier(model, tree).apply(plan);
        INDArray x = NET.randomInput(16, 3);
        INDArray small = r.model().graph().outputSingle(false, x);
        INDArray reference = masked.graph().outputSingle(false, x);
        assertThat(small.shape()).containsExactly(reference.shape());
        double maxDiff = small.sub(reference).amaxNumber().doubleValue();
        assertThat(maxDiff).isLessThan(1e-5);
        Map<String, INDArray> a = r.model().graph().feedForward(x, false);
        Map<String, INDArray> b = masked.graph().feedForward(x, false);
        int[] kept = r.selection().keptOf("stage3.block0.conv2");
        INDArray refPool = b.get("pool").getColumns(kept);
        assertThat(a.get("pool").sub(refPool).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(masked.graph().outputSingle(false, x).sub(model.graph().outputSingle(false, x))
                .amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void couplingGroupMembersKeepTheSameChannels() {
        PlanApplier applier = new PlanApplier(model, tree);
        ChannelSelection sel = applier.channelSelection(halfChannels());
        assertThat(tree.couplingGroups()).isNotEmpty();
        for (CouplingGroup g : tree.couplingGroups()) {
            int[] first = sel.keptOf(g.members().get(0));
            assertThat(first).hasSize(sel.original().get(g.members().get(0)) / 2);
            for (String m : g.members()) {
                assertThat(sel.keptOf(m)).containsExactly(first);
                assertThat(applier.compressLayer(halfChannels(), m).removedChannels())
                        .containsExactly(applier.compressLayer(halfChannels(), g.members().get(0)).removedChannels());
            }
        }
    }

    @Test
    void roundingKeepsMultiplesOfTheStep() throws Exception {
        Plan plan = Plan.empty(model.name(), model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.CHANNEL, 0.7), QuantSetting.NONE);
        StructuredCompressor.Result r = StructuredCompressor.apply(model, tree, plan, 4, Progress.none());
        for (String layer : r.selection().kept().keySet()) {
            assertThat(r.selection().keptOf(layer).length % 4).isZero();
        }
        assertThat(r.model().graph().getLayer("stage2.block0.conv1").getParam("W").size(0)).isEqualTo(8);
    }

    @Test
    void outputLayerNeverLosesClasses() throws Exception {
        StructuredCompressor.Result r = StructuredCompressor.apply(model, tree, halfChannels(), 1, Progress.none());
        assertThat(r.model().graph().outputSingle(false, NET.randomInput(2, 1)).size(1)).isEqualTo(3);
        assertThat(r.model().graph().outputSingle(false, NET.randomInput(2, 1)).sumNumber().doubleValue())
                .isCloseTo(2.0, within(1e-4));
    }
}
