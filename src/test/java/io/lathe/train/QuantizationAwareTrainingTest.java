package io.lathe.train;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

class QuantizationAwareTrainingTest {
    /** One block per stage, 8×8 grey images, three classes, with L2 for training. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8, 8).withL2(1e-5);


    @Test
    void forwardPassUsesThePlansQuantizedWeights() throws Exception {
        LoadedModel m = NET.withSeed(21).model("tiny-21");
        Plan plan = Plan.empty(m.name(), m.sha256()).withDefaults(PruneSetting.NONE, QuantSetting.bits(3));
        PlanApplier applier = new PlanApplier(m, LayerTree.of(m));
        ComputationGraph qat = m.copyGraph();
        TrainingHooks.of(qat, plan, applier.originals().layers(), true, null).attach(qat);
        ComputationGraph exported = applier.apply(plan).graph();
        INDArray x = Nd4j.rand(new long[]{16, 1, NET.size(), NET.size()});

        INDArray viaQat = qat.outputSingle(false, x);
        INDArray viaExport = exported.outputSingle(false, x);
        INDArray fp32 = m.graph().outputSingle(false, x);

        assertThat(viaQat.sub(viaExport).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(viaQat.sub(fp32).amaxNumber().doubleValue()).as("3-bit weights change the output").isGreaterThan(1e-3);
        INDArray trainQat = qat.feedForward(x, true).get("fc");
        INDArray trainExport = exported.feedForward(x, true).get("fc");
        assertThat(trainQat.sub(trainExport).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void updatesGoToTheFullPrecisionShadowWeights() throws Exception {
        LoadedModel m = NET.withSeed(22).model("tiny-22");
        Plan plan = Plan.empty(m.name(), m.sha256()).withDefaults(PruneSetting.NONE, QuantSetting.bits(4));
        ComputationGraph qat = m.copyGraph();
        TrainingHooks.of(qat, plan, new PlanApplier(m, LayerTree.of(m)).originals().layers(), true, null).attach(qat);
        var images = TinyImages.brightestThird(32, 8, 5);
        int[] idx = FineTuner.order(32, 1);
        INDArray before = qat.getLayer("stage2.block0.conv2").getParam("W").dup();
        qat.fit(new DataSet(io.lathe.data.Batches.augmented(images, idx, 0, 32, 0, false, new java.util.Random(1)),
                io.lathe.data.Batches.oneHot(images, idx, 0, 32)));
        INDArray after = qat.getLayer("stage2.block0.conv2").getParam("W");
        assertThat(after).isNotEqualTo(before);
        assertThat(FakeQuantizer.quantized(after, QuantSetting.bits(4))).as("weights stay fp32").isNotEqualTo(after);
    }
}
