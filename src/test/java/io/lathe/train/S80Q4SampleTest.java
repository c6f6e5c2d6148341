package io.lathe.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PlanJson;
import io.lathe.data.AppHome;
import io.lathe.data.FashionMnist;
import io.lathe.eval.Evaluator;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shipped 80%-sparse 4-bit ResNet-20 is as sparse and as accurate as its sidecar says, and its plan fits it. */
class S80Q4SampleTest {
    @Test
    void shippedSparseQuantizedSampleMatchesItsSidecarAndPlan() throws Exception {
        Path zip = AppHome.sampleModel("resnet20-fashion-s80q4.zip");
        Path sidecar = AppHome.sampleModel("resnet20-fashion-s80q4.json");
        Path planFile = AppHome.sampleModel("resnet20-fashion-s80q4.plan.json");
        assumeTrue(Files.exists(zip) && Files.exists(sidecar) && Files.exists(planFile), "s80q4 sample not built yet");
        JsonNode side = new ObjectMapper().readTree(sidecar.toFile());
        LoadedModel m = ModelLoader.load(zip);
        LayerTree tree = LayerTree.of(m);
        Plan plan = PlanJson.read(Files.readString(planFile), tree, m.sha256());
        CompressedModel again = new PlanApplier(m, tree).apply(plan);

        assertThat(again.stats().sparsity()).isGreaterThanOrEqualTo(0.80);
        assertThat(again.graph().params()).as("the weights already are what the plan makes of them")
                .isEqualTo(m.graph().params());
        double top1 = Evaluator.evaluate(m.graph(), m, FashionMnist.load().test(), Progress.none()).top1();
        assertThat(top1).isEqualTo(side.get("testTop1").asDouble());
        assertThat(top1).isGreaterThanOrEqualTo(side.get("uncompressedTestTop1").asDouble() - 0.005);
    }
}
