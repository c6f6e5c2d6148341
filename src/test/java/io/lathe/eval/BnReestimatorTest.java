package io.lathe.eval;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;

class BnReestimatorTest {
    /** Two blocks per stage, 12×12 grey images, ten classes, random BatchNorm statistics, sharpened outputs. */
    private static final TinyResNet NET = TinyResNet.of(2, 4, 8, 8).withInput(1, 12).withClasses(10)
            .withNorms(TinyResNet.Norms.RANDOM).withSharpenedOutputs();


    @Test
    void reestimatedStatisticsMakeInferenceMatchTrainingModeOnTheSameBatch() throws Exception {
        LoadedModel model = NET.withSeed(3).model("tiny");
        LabeledImages train = TinyImages.waves(128, 12, 10, 8);
        ComputationGraph net = model.copyGraph();
        BnReestimator bn = new BnReestimator(train, 128);
        bn.estimate(net, BnReestimator.allBatchNorms(LayerTree.of(model)), Progress.none())
                .forEach((name, s) -> BnReestimator.write(net, name, s));
        INDArray x = Batches.features(train, 0, 128);
        INDArray inference = net.outputSingle(false, x);
        INDArray training = net.outputSingle(true, x);
        INDArray before = model.graph().outputSingle(false, x);
        assertThat(inference.sub(training).amaxNumber().doubleValue()).isLessThan(2e-3);
        assertThat(before.sub(training).amaxNumber().doubleValue()).as("the original statistics differ")
                .isGreaterThan(1e-2);
    }

    @Test
    void reestimationChangesOnlyBatchNormStatisticsAndKeepsPrunedWeightsZero() throws Exception {
        LoadedModel model = NET.withSeed(4).model("tiny");
        LayerTree tree = LayerTree.of(model);
        PlanApplier applier = new PlanApplier(model, tree);
        Plan plan = Plan.empty(model.name(), model.sha256()).withDefaults(
                PruneSetting.sparsity(Granularity.ELEMENT, 0.7), QuantSetting.NONE)
                .with("stem.conv", new io.lathe.compress.LayerSettings(PruneSetting.NONE, QuantSetting.NONE, false));
        ComputationGraph net = applier.apply(plan).graph();
        ComputationGraph untouched = net.clone();
        new BnReestimator(TinyImages.waves(300, 12, 10, 9), 300).apply(net, tree, plan, Progress.none());
        int changedStats = 0;
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            for (var e : l.paramTable().entrySet()) {
                INDArray old = untouched.getLayer(name).getParam(e.getKey());
                boolean stat = e.getKey().equals("mean") || e.getKey().equals("var") || e.getKey().equals("log10stdev");
                if (stat) {
                    changedStats += e.getValue().equals(old) ? 0 : 1;
                } else {
                    assertThat(e.getValue().dup().data().asFloat()).as(name + " " + e.getKey())
                            .containsExactly(old.dup().data().asFloat());
                }
            }
        }
        assertThat(changedStats).isGreaterThan(0);
        assertThat(BnReestimator.layersToReestimate(net, tree, plan)).doesNotContain("stem.bn");
    }
}
