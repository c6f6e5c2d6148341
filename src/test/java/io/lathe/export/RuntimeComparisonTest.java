package io.lathe.export;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeComparisonTest {
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8).withInput(1, 12).withNorms(TinyResNet.Norms.WIDE);

    @Test
    void timesEveryRuntimeOnTheSameBatchAndCountsPredictionDifferences() throws Exception {
        LoadedModel model = NET.withSeed(21).model("tiny");
        LabeledImages images = TinyImages.uniform("val", 120, 12, 4);

        Map<String, Object> out = RuntimeComparison.run(model, images, 16, 3, Progress.none());

        for (String key : new String[]{"dl4jTunedMs", "latheFoldedNchwMs", "latheMs", "ortFp32Ms", "ortInt8Ms"}) {
            assertThat((Double) out.get(key)).as(key).isPositive();
        }
        assertThat((Double) out.get("latheOverOrtFp32"))
                .isCloseTo((Double) out.get("latheMs") / (Double) out.get("ortFp32Ms"), org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(out.get("runtimeBatch")).isEqualTo(16);
        assertThat(out.get("predictionImages")).isEqualTo(120);
        assertThat(out.get("latheVsUnfoldedDl4jDiffer")).isEqualTo(0);
        assertThat(out.get("latheVsOrtFp32Differ")).isEqualTo(0);
        assertThat((Integer) out.get("latheFoldedBatchNorms")).isPositive();
        assertThat((Integer) out.get("ortInt8IntegerConvolutions")).isPositive();
    }
}
