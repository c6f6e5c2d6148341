package io.lathe.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.data.AppHome;
import io.lathe.data.DataSplits;
import io.lathe.data.FashionMnist;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shipped ResNet-20 loads, has the documented structure, and reproduces its sidecar's test accuracy. */
class SampleModelTest {
    @Test
    void shippedResNet20MatchesItsSidecarOnTheTestSplit() throws Exception {
        Path zip = AppHome.sampleModel("resnet20-fashion.zip");
        Path sidecar = AppHome.sampleModel("resnet20-fashion.json");
        assumeTrue(Files.exists(sidecar), "sample model not trained yet");
        LoadedModel m = ModelLoader.load(zip);
        LayerTree tree = LayerTree.of(m);
        assertThat(tree.layers().stream().filter(l -> l.kind() == LayerKind.CONV)).hasSizeGreaterThanOrEqualTo(19);
        assertThat(tree.totalParams()).isEqualTo(m.graph().numParams());
        assertThat(tree.couplingGroups()).hasSize(3);
        DataSplits data = FashionMnist.load();
        Evaluation e = Evaluator.evaluate(m.graph(), m, data.test(), Progress.none());
        double expected = new ObjectMapper().readTree(sidecar.toFile()).get("testTop1").asDouble();
        assertThat(e.images()).isEqualTo(10_000);
        assertThat(e.top1()).isEqualTo(expected);
        assertThat(tree.prunableLayers()).extracting(LayerInfo::name).contains("stem.conv", "fc");
    }
}
