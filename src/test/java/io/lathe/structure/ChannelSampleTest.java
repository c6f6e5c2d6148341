package io.lathe.structure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
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
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shipped channel-pruned ResNet-20 has the kept channels and test accuracy its sidecar states. */
class ChannelSampleTest {
    @Test
    void shippedChannelSampleMatchesItsSidecarAndPlan() throws Exception {
        Path zip = AppHome.sampleModel("resnet20-fashion-channel.zip");
        Path sidecar = AppHome.sampleModel("resnet20-fashion-channel.json");
        Path plan = AppHome.sampleModel("resnet20-fashion-channel.plan.json");
        assumeTrue(Files.exists(zip) && Files.exists(sidecar) && Files.exists(plan), "channel sample not built yet");
        JsonNode side = new ObjectMapper().readTree(sidecar.toFile());
        LoadedModel m = ModelLoader.load(zip);
        assertThat(m.parameterCount()).isEqualTo(side.get("parameters").asLong())
                .isLessThan(side.get("baseModel").get("params").asLong() / 2);
        Iterator<Map.Entry<String, JsonNode>> kept = side.get("keptChannels").fields();
        while (kept.hasNext()) {
            Map.Entry<String, JsonNode> e = kept.next();
            long channels = Long.parseLong(e.getValue().asText().split("/")[0]);
            assertThat(m.graph().getLayer(e.getKey()).getParam("W").size(0)).as(e.getKey()).isEqualTo(channels);
        }
        Plan p = PlanJson.read(Files.readString(plan));
        assertThat(p.defaultPrune().granularity()).isEqualTo(Granularity.CHANNEL);
        assertThat(LayerTree.of(m).couplingGroups()).hasSize(3);
        double top1 = Evaluator.evaluate(m.graph(), m, FashionMnist.load().test(), Progress.none()).top1();
        assertThat(top1).isEqualTo(side.get("accuracy").get("testTop1").asDouble());
    }
}
