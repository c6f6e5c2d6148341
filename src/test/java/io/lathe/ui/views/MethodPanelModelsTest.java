package io.lathe.ui.views;

import io.lathe.session.ActivationPruningService;
import io.lathe.session.LowRankService;
import io.lathe.ui.methods.ActivationModel;
import io.lathe.ui.methods.LowRankModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MethodPanelModelsTest extends ViewModelTest {
    private static final String CONV = "stage2.block0.conv1";
    private static final int IMAGES = 30;
    private LowRankModel lowRank;
    private ActivationModel activation;

    @BeforeEach
    void open() throws Exception {
        f = new ViewFixture(dir, true);
        lowRank = new LowRankModel(f.wb, new LowRankService(2), Runnable::run, IMAGES);
        activation = new ActivationModel(f.wb, new ActivationPruningService(), Runnable::run, IMAGES);
    }

    private void select(String layer) throws InterruptedException {
        f.wb.layers().select(layer, List.of(layer));
    }

    @Test
    void selectingAConvLoadsItsEnergyCurveAndStartsAtNinetyPercentEnergy() throws Exception {
        select(CONV);
        ViewFixture.await(() -> lowRank.spectrumProperty().get() != null);
        var s = lowRank.spectrumProperty().get();
        assertThat(s.layer()).isEqualTo(CONV);
        assertThat(lowRank.rankProperty().get()).isEqualTo(s.rankFor(0.9));
        assertThat(lowRank.rankText()).contains("rank " + s.rankFor(0.9) + " of " + s.fullRank());
        assertThat(lowRank.unavailableProperty().get()).isEmpty();
    }

    @Test
    void rankZeroAndRanksAboveTheFullRankAreRefusedWithAMessage() throws Exception {
        select(CONV);
        ViewFixture.await(() -> lowRank.spectrumProperty().get() != null);
        int full = lowRank.spectrumProperty().get().fullRank();
        int before = lowRank.rankProperty().get();
        assertThat(lowRank.enterRank("0")).contains("from 1 to " + full);
        assertThat(lowRank.enterRank(Integer.toString(full + 1))).contains("above this layer's full rank " + full);
        assertThat(lowRank.enterRank("two")).contains("not a rank");
        assertThat(lowRank.enterEnergy("120%")).contains("at most 100%");
        assertThat(lowRank.messageProperty().get()).contains("at most 100%");
        assertThat(lowRank.rankProperty().get()).isEqualTo(before);
        assertThat(lowRank.enterEnergy("100%")).isNull();
        assertThat(lowRank.rankProperty().get()).isEqualTo(lowRank.spectrumProperty().get().rankFor(1.0));
        assertThat(lowRank.messageProperty().get()).isEmpty();
    }

    @Test
    void measuringBeforeTheCurveArrivesSaysToWaitAndTheCurveClearsTheMessage() throws Exception {
        lowRank.setActive(false);
        select(CONV);
        lowRank.measure();
        assertThat(lowRank.messageProperty().get()).contains("still being computed");
        lowRank.setActive(true);
        ViewFixture.await(() -> lowRank.spectrumProperty().get() != null);
        assertThat(lowRank.messageProperty().get()).isEmpty();
        assertThat(lowRank.measurementProperty().get()).isNull();
    }

    @Test
    void measureReportsTheFactorizedModelAtTheChosenRank() throws Exception {
        select(CONV);
        ViewFixture.await(() -> lowRank.spectrumProperty().get() != null);
        lowRank.setRank(2);
        lowRank.measure();
        ViewFixture.await(() -> lowRank.measurementProperty().get() != null);
        var m = lowRank.measurementProperty().get();
        assertThat(m.rank()).isEqualTo(2);
        assertThat(m.layer()).isEqualTo(CONV);
        assertThat(m.images()).isEqualTo(IMAGES);
        assertThat(m.factorizedParams()).isLessThan(m.originalParams());
        assertThat(lowRank.measuringProperty().get()).isFalse();
        assertThat(f.failures).isEmpty();
    }

    @Test
    void aBatchNormSelectionOffersNoFactorization() throws Exception {
        select("stage2.block0.bn1");
        assertThat(lowRank.spectrumProperty().get()).isNull();
        assertThat(lowRank.unavailableProperty().get()).contains("Select a convolution or dense layer");
        assertThat(activation.unavailableProperty().get()).isNotEmpty();
    }

    @Test
    void activationPanelFindsTheReluAndMeasuresTheThreshold() throws Exception {
        select(CONV);
        assertThat(activation.reluProperty().get()).isEqualTo("stage2.block0.relu1");
        assertThat(activation.enterThreshold("0.05")).isNull();
        activation.measure();
        ViewFixture.await(() -> activation.measurementProperty().get() != null);
        var m = activation.measurementProperty().get();
        assertThat(m.threshold()).isEqualTo(0.05);
        assertThat(m.images()).isEqualTo(IMAGES);
        assertThat(m.sparsityAfter()).isGreaterThanOrEqualTo(m.sparsityBefore());
        assertThat(activation.rangeProperty().get()).isEqualTo(Math.max(m.rangeMax(), 0.05));
    }

    @Test
    void aNegativeThresholdIsRefusedAndTheOutputLayerHasNoRelu() throws Exception {
        select(CONV);
        assertThat(activation.enterThreshold("-0.2")).contains("give 0 or more");
        assertThat(activation.thresholdProperty().get()).isZero();
        assertThat(activation.messageProperty().get()).contains("below 0");
        select("fc");
        assertThat(activation.reluProperty().get()).isNull();
        assertThat(activation.unavailableProperty().get()).contains("No ReLU follows fc");
        assertThat(activation.messageProperty().get()).isEmpty();
    }

    @Test
    void putInPlanSetsTheRankAndTheThresholdAsUndoableEditsThatThePreviewFollows() throws Exception {
        select(CONV);
        ViewFixture.await(() -> lowRank.spectrumProperty().get() != null);
        assertThat(lowRank.inPlanProperty().get()).startsWith("Not in the plan");
        lowRank.setRank(2);
        lowRank.putInPlan();
        assertThat(f.wb.editor().plan().lowRankOf(CONV).rank()).isEqualTo(2);
        assertThat(lowRank.inPlanProperty().get()).contains("rank 2");
        assertThat(activation.enterThreshold("0.05")).isNull();
        activation.putInPlan();
        assertThat(f.wb.editor().plan().activationOf("stage2.block0.relu1").threshold()).isEqualTo(0.05);
        assertThat(activation.inPlanProperty().get()).startsWith("In the plan");
        activation.removeFromPlan();
        assertThat(f.wb.editor().plan().activationOf("stage2.block0.relu1").isNone()).isTrue();
        f.wb.editor().undo();
        assertThat(f.wb.editor().plan().activationOf("stage2.block0.relu1").threshold()).isEqualTo(0.05);
        lowRank.removeFromPlan();
        assertThat(f.wb.editor().plan().lowRankOf(CONV).isNone()).isTrue();
        assertThat(lowRank.inPlanProperty().get()).startsWith("Not in the plan");
    }
}
