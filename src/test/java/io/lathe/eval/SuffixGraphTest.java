package io.lathe.eval;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SuffixGraphTest {
    /** Two blocks per stage, 12×12 grey images, ten classes, random BatchNorm statistics, sharpened outputs. */
    private static final TinyResNet NET = TinyResNet.of(2, 4, 8, 8).withInput(1, 12).withClasses(10)
            .withNorms(TinyResNet.Norms.RANDOM).withSharpenedOutputs();

    @Test
    void trainingModeRunWithSeveralOutputsGivesTheActivationsOfAFullTrainingModePass() throws Exception {
        LoadedModel model = NET.withSeed(5).model("tiny");
        ComputationGraph source = model.graph();
        CutPoints cuts = CutPoints.of(source);
        List<String> all = cuts.all();
        String start = all.get(1);
        List<String> extras = all.subList(2, all.size());
        LabeledImages images = TinyImages.waves(40, 12, 10, 3);
        INDArray x = Batches.features(images, 0, 40);
        Map<String, INDArray> full = source.feedForward(x, true);

        SuffixGraph g = SuffixGraph.build(source, cuts, start, extras);
        INDArray[] out = g.runTraining(full.get(start).dup());

        assertThat(extras).isNotEmpty();
        for (int i = 0; i < g.outputs().size(); i++) {
            String name = g.outputs().get(i);
            assertThat(out[i].dup('c').data().asFloat()).as(name)
                    .containsExactly(full.get(name).dup('c').data().asFloat());
        }
    }
}
