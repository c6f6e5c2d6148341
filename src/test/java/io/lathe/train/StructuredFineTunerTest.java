package io.lathe.train;

import io.lathe.TinyResNet;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.ShareSetting;
import io.lathe.compress.SharedWeights;
import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StructuredFineTunerTest {
    private static LabeledImages images(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int[] labels = new int[n];
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(3);
        }
        return new LabeledImages("r" + seed, Nd4j.rand(new long[]{n, 1, 12, 12}).data().asFloat(), labels, 1, 12, 12,
                3, new String[]{"a", "b", "c"});
    }

    @Test
    void sharedWeightsStayWithinTheirCodebookWhileCentroidsMove() throws Exception {
        Engine.configure();
        LoadedModel m = ModelLoader.fromGraph("tiny",
                TinyResNet.of(1, 4, 8, 8).withInput(1, 12).withSeed(3).graph(), new int[]{1, 12, 12});
        LayerTree tree = LayerTree.of(m);
        CompressedModel shared = new PlanApplier(m, tree)
                .apply(Plan.empty(m.name(), m.sha256()).withDefaultShare(ShareSetting.bits(2)));
        SharedWeights state = SharedWeights.of(shared);
        float[] before = state.codebooks().get("stage3.block0.conv2").centroids().clone();
        DataSplits data = new DataSplits("random", images(96, 1), images(32, 2), images(32, 3));
        StructuredFineTuner.Result r = StructuredFineTuner.run(shared.graph(), data,
                new StructuredFineTuner.Settings(2, 32, 1e-2, 0, 1, 0), state::refit, Progress.none());
        assertThat(r.history()).hasSize(2);
        assertThat(state.codebooks().get("stage3.block0.conv2").centroids()).isNotEqualTo(before);
        ComputationGraph net = r.net();
        for (String layer : state.codebooks().keySet()) {
            float[] w = net.getLayer(layer).getParam("W").dup('c').data().asFloat();
            Set<Float> values = new HashSet<>();
            for (float v : w) {
                values.add(v);
            }
            assertThat(values).as(layer).hasSizeLessThanOrEqualTo(4);
        }
    }

    @Test
    void distillationPullsTheStudentTowardTheTeacherAndLeavesAPlainNetwork() throws Exception {
        Engine.configure();
        ComputationGraph teacher = TinyResNet.of(1, 4, 8, 8).withInput(1, 12).withSeed(7).graph();
        ComputationGraph student = TinyResNet.of(1, 4, 8, 8).withInput(1, 12).withSeed(8).graph();
        DataSplits data = new DataSplits("random", images(128, 4), images(64, 5), images(32, 6));
        var x = io.lathe.data.Batches.features(data.validation(), 0, data.validation().size());
        double before = gap(teacher, student, x);
        StructuredFineTuner.Result r = StructuredFineTuner.run(student, teacher, data,
                new StructuredFineTuner.Settings(3, 32, 1e-2, 0, 1, 0).withDistillation(new Distillation(1.0, 2)),
                null, Progress.none());
        assertThat(gap(teacher, r.net(), x)).isLessThan(before / 2);
        var out = (org.deeplearning4j.nn.conf.layers.BaseOutputLayer) r.net().getLayer(
                r.net().getConfiguration().getNetworkOutputs().get(0)).conf().getLayer();
        assertThat(out.getLossFn()).isNotInstanceOf(DistillationLoss.class);
    }

    /** Mean absolute difference of the two networks' class probabilities. */
    private static double gap(ComputationGraph a, ComputationGraph b, org.nd4j.linalg.api.ndarray.INDArray x) {
        return a.outputSingle(false, x).sub(b.outputSingle(false, x)).amean().getDouble(0);
    }
}
