package io.lathe.compress;

import io.lathe.TinyResNet;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanJsonTest {
    private static LoadedModel model;
    private static LayerTree tree;

    @BeforeAll
    static void load() throws Exception {
        model = TinyResNet.of(2, 4, 8, 16).withSeed(1).model("tiny");
        tree = LayerTree.of(model);
    }

    @Test
    void planFileRoundTrips() throws Exception {
        Plan plan = new Plan("tiny", model.sha256(), PruneSetting.sparsity(Granularity.ELEMENT, 0.3),
                new QuantSetting(8, true, true), Map.of(
                "stage1.block0.conv1", new LayerSettings(PruneSetting.threshold(Granularity.BLOCK, 0.031)
                        .withBlockShape("2x2"), QuantSetting.bits(4), true),
                "fc", new LayerSettings(null, new QuantSetting(6, false, false), false),
                "stage2.block0.conv2", new LayerSettings(PruneSetting.sparsity(Granularity.CHANNEL, 0.5), null, false)));
        Plan back = PlanJson.read(PlanJson.write(plan), tree, model.sha256());
        assertThat(back).isEqualTo(plan);
    }

    @Test
    void batchNormCalibrationRoundTripsAndIsOffWhenAbsent() throws Exception {
        Plan plan = Plan.empty("tiny", model.sha256()).withBatchNormImages(512);
        String text = PlanJson.write(plan);
        assertThat(text).contains("\"batchNormImages\" : 512");
        assertThat(PlanJson.read(text, tree, model.sha256())).isEqualTo(plan);
        assertThat(PlanJson.write(Plan.empty("tiny", model.sha256()))).doesNotContain("calibration");
        assertThat(PlanJson.read("{ \"format\": \"lathe-plan\", \"version\": 1 }").batchNormImages()).isZero();
    }

    @Test
    void negativeBatchNormCalibrationNamesTheField() {
        String text = "{ \"format\": \"lathe-plan\", \"version\": 1,\n \"calibration\": { \"batchNormImages\": -3 } }";
        assertThatThrownBy(() -> PlanJson.read(text, tree, null)).isInstanceOfSatisfying(PlanException.class, e -> {
            assertThat(e.field()).isEqualTo("calibration.batchNormImages");
            assertThat(e.line()).isEqualTo(2);
        });
    }

    @Test
    void designDocumentExampleParses() throws Exception {
        String text = """
                { "format": "lathe-plan", "version": 1,
                  "model": { "name": "resnet20-fashion", "sha256": "abc" },
                  "defaults": { "prune": { "granularity": "element", "sparsity": 0.0 },
                                "quant": { "bits": 32, "perChannel": true } },
                  "layers": { "stage1.block0.conv1": { "prune": { "threshold": 0.031 }, "quant": { "bits": 4 } } } }
                """;
        Plan p = PlanJson.read(text);
        assertThat(p.pruneOf("stage1.block0.conv1").threshold()).isEqualTo(0.031);
        assertThat(p.quantOf("stage1.block0.conv1").bits()).isEqualTo(4);
        assertThat(p.quantOf("other").bits()).isEqualTo(32);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"quant\": { \"bits\": 9 }|layers.stage1.block0.conv1.quant.bits|5",
            "\"prune\": { \"sparsity\": 1.5 }|layers.stage1.block0.conv1.prune.sparsity|5",
            "\"prune\": { \"sparsity\": 0.1, \"threshold\": 0.2 }|layers.stage1.block0.conv1.prune|5",
            "\"prune\": { \"granularity\": \"diagonal\", \"sparsity\": 0.1 }|layers.stage1.block0.conv1.prune.granularity|5",
            "\"quantize\": { \"bits\": 8 }|layers.stage1.block0.conv1.quantize|5"})
    void badPlanNamesTheLineAndField(String layerBody, String field, int line) {
        String text = "{ \"format\": \"lathe-plan\",\n \"version\": 1,\n \"layers\": {\n  \"stage1.block0.conv1\": {\n    "
                + layerBody + "\n  }\n }\n}\n";
        assertThatThrownBy(() -> PlanJson.read(text, tree, null))
                .isInstanceOfSatisfying(PlanException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.line()).isEqualTo(line);
                });
    }

    @Test
    void unknownLayerIsRefusedWithItsName() {
        String text = "{ \"format\": \"lathe-plan\", \"version\": 1,\n \"layers\": { \"stage9.conv\": { \"quant\": { \"bits\": 8 } } } }";
        assertThatThrownBy(() -> PlanJson.read(text, tree, null)).isInstanceOf(PlanException.class)
                .hasMessageContaining("stage9.conv").hasMessageContaining("line 2");
    }

    @Test
    void planForAnotherModelIsRefused() {
        String text = "{ \"format\": \"lathe-plan\", \"version\": 1, \"model\": { \"name\": \"x\", \"sha256\": \"deadbeef\" } }";
        assertThatThrownBy(() -> PlanJson.read(text, tree, model.sha256())).isInstanceOf(PlanException.class)
                .hasMessageContaining("model.sha256");
    }

    @Test
    void nonPlanJsonIsRefused() {
        assertThatThrownBy(() -> PlanJson.read("{\"format\": \"something\", \"version\": 1}"))
                .isInstanceOf(PlanException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> PlanJson.read("{ not json")).isInstanceOf(PlanException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void lowRankAndActivationSettingsRoundTripInVersion2AndVersion1PlansStillRead() throws Exception {
        Plan plan = Plan.empty("tiny", null)
                .with("fc", LayerSettings.INHERIT.withLowRank(LowRankSetting.rank(4)).withQuant(QuantSetting.bits(6)))
                .with("stage1.block0.conv1", LayerSettings.INHERIT.withLowRank(LowRankSetting.energy(0.85)))
                .with("stage1.block0.relu1", LayerSettings.INHERIT.withActivation(ActivationSetting.threshold(0.125)));
        String text = PlanJson.write(plan);
        assertThat(text).contains("\"version\" : 2");
        assertThat(PlanJson.read(text)).isEqualTo(plan);
        Plan old = PlanJson.read("""
                { "format": "lathe-plan", "version": 1, "layers": { "fc": { "quant": { "bits": 4 } } } }
                """);
        assertThat(old.quantOf("fc").bits()).isEqualTo(4);
        assertThatThrownBy(() -> PlanJson.read("""
                { "format": "lathe-plan", "version": 1, "layers": { "fc": { "lowRank": { "rank": 4 } } } }
                """)).isInstanceOf(PlanException.class).hasMessageContaining("lowRank");
        assertThatThrownBy(() -> PlanJson.read("""
                { "format": "lathe-plan", "version": 2, "layers": { "fc": { "lowRank": { "rank": 4, "energy": 0.5 } } } }
                """)).isInstanceOf(PlanException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> PlanJson.read("""
                { "format": "lathe-plan", "version": 3 }
                """)).isInstanceOf(PlanException.class).hasMessageContaining("newer Lathe");
    }
}
