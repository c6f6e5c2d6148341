package io.lathe.session;

import io.lathe.job.Progress;
import io.lathe.structure.LowRank;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LowRankServiceTest {
    private static final String CONV = "stage2.block0.conv1";
    private static final int IMAGES = 40;
    private static Workspace ws;
    private final LowRankService service = new LowRankService(2);

    @BeforeAll
    static void open() throws Exception {
        ws = Workspace.of(TinyModels.model(), TinyModels.data(), Progress.none());
    }

    @Test
    void theEnergyCurveRisesToAllOfItAtFullRank() throws Exception {
        LowRank.Spectrum s = service.spectrum(ws, CONV).run(Progress.none());
        assertThat(s.energy()).isSorted();
        assertThat(s.energy()[s.fullRank() - 1]).isCloseTo(1.0, within(1e-9));
        assertThat(s.originalParams()).isEqualTo(ws.tree().layer(CONV).weights());
    }

    @Test
    void aFullRankFactorizationKeepsTheAccuracyAndCountsTheFactorsWeights() throws Exception {
        LowRank.Spectrum s = service.spectrum(ws, CONV).run(Progress.none());
        LowRankService.Measurement m = service.measure(ws, CONV, s.fullRank(), IMAGES).run(Progress.none());
        assertThat(m.images()).isEqualTo(IMAGES);
        assertThat(m.factorizedTop1()).isEqualTo(m.originalTop1());
        assertThat(m.factorizedParams() - m.originalParams()).isEqualTo(m.factorizedWeights() - m.layerWeights());
        assertThat(java.util.Arrays.stream(m.batch1Ms()).min().orElse(0)).isPositive();
        assertThat(java.util.Arrays.stream(m.batch64Ms()).min().orElse(0)).isPositive();
    }

    @Test
    void rankOneRemovesWeightsAndChangesPredictions() throws Exception {
        LowRankService.Measurement m = service.measure(ws, CONV, 1, IMAGES).run(Progress.none());
        assertThat(m.factorizedParams()).isLessThan(m.originalParams());
        assertThat(m.energy()).isLessThan(1.0);
        assertThat(m.factorizedTop1()).isLessThan(m.originalTop1());
    }

    @Test
    void aRankAboveTheFullRankIsRefusedWithTheAllowedRange() throws Exception {
        int full = service.spectrum(ws, CONV).run(Progress.none()).fullRank();
        assertThatThrownBy(() -> service.measure(ws, CONV, full + 1, IMAGES).run(Progress.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.." + full);
    }

    @Test
    void batchNormLayersCannotBeFactorized() {
        assertThat(LowRankService.unavailableReason(ws, "stage2.block0.bn1")).contains("cannot be factorized");
        assertThat(LowRankService.unavailableReason(ws, CONV)).isNull();
        assertThat(LowRankService.modeText(ws, CONV)).startsWith("spatial SVD: 3×3");
    }
}
