package io.lathe.compress;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanJsonShareTest {
    @Test
    void shareSettingsRoundTrip() throws Exception {
        Plan plan = new Plan("m", "abc", PruneSetting.NONE, QuantSetting.NONE,
                Map.of("conv1", new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), null, false,
                        ShareSetting.bits(4)), "conv2", LayerSettings.INHERIT.withQuant(QuantSetting.bits(8))),
                ShareSetting.bits(5));
        String text = PlanJson.write(plan);
        Plan back = PlanJson.read(text);
        assertThat(back).isEqualTo(plan);
        assertThat(back.shareOf("conv1")).isEqualTo(ShareSetting.bits(4));
        assertThat(back.shareOf("other")).isEqualTo(ShareSetting.bits(5));
        assertThat(text).contains("\"share\"");
    }

    @Test
    void planWithoutSharingIsWrittenAsBefore() throws Exception {
        Plan plan = Plan.empty("m", "abc").with("conv1", LayerSettings.INHERIT.withQuant(QuantSetting.bits(4)));
        String text = PlanJson.write(plan);
        assertThat(text).doesNotContain("share");
        assertThat(PlanJson.read(text)).isEqualTo(plan);
    }

    @Test
    void shareAndQuantOnOneLayerAreRefusedWithTheField() {
        String text = """
                { "format": "lathe-plan", "version": 1,
                  "layers": { "conv1": { "quant": { "bits": 4 },
                                         "share": { "bits": 4 } } } }
                """;
        assertThatThrownBy(() -> PlanJson.read(text)).isInstanceOf(PlanException.class)
                .hasMessageContaining("layers.conv1.share").hasMessageContaining("line 3");
    }

    @Test
    void shareBitsOutOfRangeAreRefused() {
        String text = """
                { "format": "lathe-plan", "version": 1,
                  "defaults": { "share": { "bits": 12 } } }
                """;
        assertThatThrownBy(() -> PlanJson.read(text)).isInstanceOf(PlanException.class)
                .hasMessageContaining("defaults.share.bits").hasMessageContaining("1..8");
    }

    @Test
    void unknownFieldInShareIsRefused() {
        String text = """
                { "format": "lathe-plan", "version": 1,
                  "defaults": { "share": { "bits": 4, "centroids": 16 } } }
                """;
        assertThatThrownBy(() -> PlanJson.read(text)).isInstanceOf(PlanException.class)
                .hasMessageContaining("defaults.share.centroids");
    }
}
