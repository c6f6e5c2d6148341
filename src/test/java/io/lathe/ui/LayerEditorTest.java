package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.job.Progress;
import io.lathe.session.TinyModels;
import io.lathe.session.Workspace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LayerEditorTest {
    private static final String CONV = "stage2.block0.conv1";
    private static Workspace ws;
    private PlanEditor plans;
    private LayerEditor editor;

    @BeforeAll
    static void open() throws Exception {
        ws = Workspace.of(TinyModels.model(), TinyModels.data(), Progress.none());
    }

    @BeforeEach
    void fresh() {
        plans = new PlanEditor();
        plans.reset(ws.emptyPlan());
        editor = new LayerEditor(plans);
        editor.setModel(ws.tree(), ws.weights());
        editor.select(CONV, List.of(CONV));
    }

    @Test
    void aTypedSparsitySetsTheThresholdThatReachesIt() {
        assertThat(editor.enterTarget("70%")).isNull();
        PruneSetting p = plans.plan().pruneOf(CONV);
        assertThat(p.sparsity()).isEqualTo(0.7);
        assertThat(editor.sparsityProperty().get()).isCloseTo(0.7, within(1.0 / ws.weights().size(CONV)));
        assertThat(editor.thresholdProperty().get()).isEqualTo(ws.weights().thresholdFor(CONV, p, 0.7));
        assertThat(editor.targetTextProperty().get()).isEqualTo("70.0%");
    }

    @Test
    void aTypedThresholdSetsTheSparsityItReaches() {
        assertThat(editor.enterTarget("0.05")).isNull();
        assertThat(plans.plan().pruneOf(CONV).threshold()).isEqualTo(0.05);
        assertThat(editor.sparsityProperty().get())
                .isEqualTo(ws.weights().sparsityAt(CONV, plans.plan().pruneOf(CONV), 0.05))
                .isGreaterThan(0);
    }

    @Test
    void draggingTheThresholdMovesTheSparsity() {
        double before = editor.sparsityProperty().get();
        editor.dragThreshold(editor.maxThresholdProperty().get() / 2);
        editor.release();
        assertThat(editor.sparsityProperty().get()).isGreaterThan(before);
        assertThat(editor.targetTextProperty().get()).isEqualTo(Formats.number(editor.thresholdProperty().get()));
    }

    @Test
    void textThatIsNeitherIsRefusedAndChangesNothing() {
        assertThat(editor.enterTarget("lots")).contains("neither a threshold");
        assertThat(editor.enterTarget("120%")).contains("below 100%");
        assertThat(plans.plan()).isEqualTo(ws.emptyPlan());
    }

    @Test
    void aPlainNumberThatWouldRemoveEveryWeightIsTakenForAMissingPercentSign() {
        assertThat(editor.enterTarget("60")).contains("would remove every weight").contains("60%");
        assertThat(plans.plan()).isEqualTo(ws.emptyPlan());
    }

    @Test
    void handEditedLayersAreLocked() {
        editor.enterTarget("50%");
        assertThat(plans.plan().isLocked(CONV)).isTrue();
        assertThat(editor.lockedProperty().get()).isTrue();
    }

    @Test
    void applyToBlockCopiesSparsityAndBitsToTheBlocksOtherLayers() {
        editor.enterTarget("60%");
        editor.setBits(4);
        editor.applyTo(ApplyScope.BLOCK);
        Plan p = plans.plan();
        for (var l : ws.tree().blockOf(CONV).layers()) {
            if (l.prunable()) {
                assertThat(p.quantOf(l.name()).bits()).as(l.name()).isEqualTo(4);
                assertThat(ws.weights().sparsityOf(l.name(), p.pruneOf(l.name()))).as(l.name()).isCloseTo(0.6, within(0.02));
            }
        }
        assertThat(p.quantOf("stage3.block0.conv1").bits()).isEqualTo(32);
    }

    @Test
    void applyToStageSkipsLockedLayers() {
        String other = "stage2.block0.conv2";
        plans.edit("lock", plans.plan().with(other, new LayerSettings(null, null, true)));
        editor.enterTarget("40%");
        String report = editor.applyTo(ApplyScope.STAGE);
        assertThat(report).contains("skipped 1 locked");
        assertThat(plans.plan().pruneOf(other)).isEqualTo(PruneSetting.NONE);
        assertThat(plans.plan().pruneOf("stage2.block0.shortcut.conv").sparsity()).isCloseTo(0.4, within(0.01));
    }

    @Test
    void applyToSelectionTouchesOnlyTheSelection() {
        editor.select(CONV, List.of(CONV, "fc"));
        editor.setBits(8);
        editor.applyTo(ApplyScope.SELECTION);
        assertThat(plans.plan().quantOf("fc").bits()).isEqualTo(8);
        assertThat(plans.plan().quantOf("stage2.block0.conv2").bits()).isEqualTo(32);
    }

    @Test
    void applyIsOneUndoableEdit() {
        editor.setBits(8);
        Plan before = plans.plan();
        editor.applyTo(ApplyScope.ALL);
        plans.undo();
        assertThat(plans.plan()).isEqualTo(before);
    }

    @Test
    void changingGranularityKeepsTheFractionRemoved() {
        editor.enterTarget("50%");
        editor.setGranularity(Granularity.CHANNEL);
        assertThat(plans.plan().pruneOf(CONV).granularity()).isEqualTo(Granularity.CHANNEL);
        assertThat(editor.sparsityProperty().get()).isCloseTo(0.5, within(0.07));
    }

    @Test
    void undoBringsThePanelBack() {
        editor.enterTarget("30%");
        editor.enterTarget("80%");
        plans.undo();
        assertThat(editor.targetTextProperty().get()).isEqualTo("30.0%");
    }

    @Test
    void resetFollowsTheDefaultsAgain() {
        editor.enterTarget("30%");
        editor.reset();
        assertThat(plans.plan().layers()).doesNotContainKey(CONV);
        assertThat(editor.sparsityProperty().get()).isZero();
    }

    @Test
    void sharingReplacesTheLayersBitsIsUndoableAndShrinksTheStatedSize() {
        editor.setBits(8);
        long eightBit = ws.stats(plans.plan()).sizeBytes();
        editor.setShare(2);
        Plan p = plans.plan();
        assertThat(p.shareOf(CONV).bits()).isEqualTo(2);
        assertThat(p.settingsOf(CONV).quant()).isNull();
        assertThat(p.isLocked(CONV)).isTrue();
        assertThat(editor.shareBitsProperty().get()).isEqualTo(2);
        assertThat(ws.stats(p).sizeBytes()).isLessThan(eightBit);
        plans.undo();
        assertThat(plans.plan().shareOf(CONV).isNone()).isTrue();
        assertThat(plans.plan().quantOf(CONV).bits()).isEqualTo(8);
        assertThat(editor.shareBitsProperty().get()).isZero();
    }

    @Test
    void aSharedPlanSavesAndReadsBackUnchanged() throws Exception {
        editor.setShare(4);
        editor.applyTo(ApplyScope.BLOCK);
        Plan p = plans.plan();
        assertThat(ws.readPlan(io.lathe.compress.PlanJson.write(p))).isEqualTo(p);
        for (var l : ws.tree().blockOf(CONV).layers()) {
            if (l.prunable()) {
                assertThat(p.shareOf(l.name()).bits()).as(l.name()).isEqualTo(4);
            }
        }
    }

    @Test
    void choosingABitWidthTurnsSharingOff() {
        editor.setShare(3);
        editor.setBits(6);
        assertThat(plans.plan().shareOf(CONV).isNone()).isTrue();
        assertThat(plans.plan().quantOf(CONV).bits()).isEqualTo(6);
        assertThat(editor.shareBitsProperty().get()).isZero();
    }
}
