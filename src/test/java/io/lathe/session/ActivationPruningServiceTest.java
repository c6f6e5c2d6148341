package io.lathe.session;

import io.lathe.job.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActivationPruningServiceTest {
    private static final int IMAGES = 40;
    private static Workspace ws;
    private final ActivationPruningService service = new ActivationPruningService();

    @BeforeAll
    static void open() throws Exception {
        ws = Workspace.of(TinyModels.model(), TinyModels.data(), Progress.none());
    }

    @ParameterizedTest
    @CsvSource({
            "stem.conv, stem.relu",
            "stage2.block0.conv1, stage2.block0.relu1",
            "stage2.block0.conv2, stage2.block0.relu2",
            "stage2.block0.shortcut.conv, stage2.block0.relu2"})
    void aLayerFeedsTheReluAfterItsBatchNormAndTheResidualAdd(String layer, String relu) {
        assertThat(service.reluAfter(ws, layer)).isEqualTo(relu);
    }

    @Test
    void theOutputLayerFeedsNoRelu() {
        assertThat(service.reluAfter(ws, "fc")).isNull();
    }

    @Test
    void thresholdZeroChangesNeitherSparsityNorAccuracy() throws Exception {
        var m = service.measure(ws, "stage2.block0.relu1", 0, IMAGES).run(Progress.none());
        assertThat(m.images()).isEqualTo(IMAGES);
        assertThat(m.sparsityAfter()).isEqualTo(m.sparsityBefore());
        assertThat(m.top1After()).isEqualTo(m.top1Before());
        assertThat(m.sparsityBefore()).isGreaterThan(0).isLessThan(1);
    }

    @Test
    void aThresholdAtTheTopOfTheRangeZerosAlmostEveryOutput() throws Exception {
        String relu = "stage2.block0.relu1";
        double top = service.measure(ws, relu, 0, IMAGES).run(Progress.none()).rangeMax();
        var m = service.measure(ws, relu, top, IMAGES).run(Progress.none());
        assertThat(m.sparsityAfter()).isGreaterThan(m.sparsityBefore()).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void aNegativeThresholdIsRefused() {
        assertThatThrownBy(() -> service.measure(ws, "stage2.block0.relu1", -0.1, IMAGES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 or more");
    }
}
