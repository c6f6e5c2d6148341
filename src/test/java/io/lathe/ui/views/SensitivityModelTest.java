package io.lathe.ui.views;

import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.job.Progress;
import io.lathe.sensitivity.AllocationGoal;
import io.lathe.sensitivity.LayerCurve;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.session.SensitivityService;
import io.lathe.ui.LayerSensitivity;
import io.lathe.ui.sensitivity.SensitivityHeatmap;
import io.lathe.ui.sensitivity.SensitivityModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SensitivityModelTest extends ViewModelTest {
    private SensitivityModel model() throws Exception {
        f = new ViewFixture(dir, true);
        SensitivityModel m = new SensitivityModel(f.wb, new SensitivityService(dir.resolve("store")), Runnable::run);
        m.setLevels(new double[]{0, 0.1, 0.5, 0.9}, new int[]{8, 2});
        return m;
    }

    @Test
    void sweepResultsFillTheCurvesTheHeatmapAndTheTreeColumn() throws Exception {
        SensitivityModel m = model();
        assertThat(m.unavailableReason()).isNull();
        assertThat(m.estimatedSeconds()).isPositive();
        m.run();
        ViewFixture.await(() -> !m.runningProperty().get());
        SensitivityCurves c = m.curvesProperty().get();
        assertThat(f.failures).isEmpty();
        assertThat(c.complete()).isTrue();
        assertThat(m.statusProperty().get()).contains("complete");
        List<String> prunable = f.ws.tree().prunableLayers().stream().map(l -> l.name()).toList();
        assertThat(m.layers()).containsExactlyInAnyOrderElementsOf(prunable);
        SensitivityHeatmap h = m.heatmap();
        assertThat(h.levels()).hasSize(c.sparsityLevels().length + c.bitLevels().length);
        for (int i = 0; i < h.layers().size(); i++) {
            LayerCurve lc = c.curve(h.layers().get(i));
            assertThat(m.sparsityPoints(lc.layer())).hasSize(lc.sparsity().size());
            assertThat(m.bitPoints(lc.layer())).hasSize(lc.bits().size());
            assertThat(h.dropPoints()[i][1]).isCloseTo(100 * (c.baseline() - lc.sparsity().get(0.1)), within(1e-9));
            assertThat(h.dropPoints()[i][h.levels().size() - 1])
                    .isCloseTo(100 * (c.baseline() - lc.bits().get(2)), within(1e-9));
        }
        var marks = f.wb.sensitivityProperty().get();
        assertThat(marks.keySet()).containsExactlyInAnyOrderElementsOf(prunable);
        var buckets = c.buckets();
        for (String l : prunable) {
            LayerSensitivity s = marks.get(l);
            assertThat(s.score()).isEqualTo(c.score(l));
            assertThat(s.bucket()).isEqualTo(buckets.get(l) == io.lathe.sensitivity.SensitivityBucket.TOP ? "top 5%"
                    : buckets.get(l).key());
            assertThat(s.text()).startsWith(s.bucket() + " (");
        }
        assertThat(marks.values()).anyMatch(s -> s.bucket().equals("top 5%"));
        String first = prunable.get(0);
        assertThat(m.currentSetting(first)).containsExactly(0, 32);
        assertThat(m.targetAccuracy()).isCloseTo(c.baseline() - 0.01, within(1e-12));
    }

    @Test
    void aCancelledSweepResumesToTheSameCurvesAsAnUninterruptedOne() throws Exception {
        SensitivityModel m = model();
        boolean[] once = {false};
        m.curvesProperty().addListener((o, a, c) -> {
            if (!once[0] && c != null && c.progress()[0] >= 12) {
                once[0] = true;
                m.cancel();
            }
        });
        m.run();
        ViewFixture.await(() -> !m.runningProperty().get());
        assertThat(m.canResume()).isTrue();
        assertThat(m.statusProperty().get()).contains("cancelled");
        m.run();
        ViewFixture.await(() -> !m.runningProperty().get() && m.curvesProperty().get().complete());
        SensitivityCurves resumed = m.curvesProperty().get();
        SensitivityCurves fresh = new SensitivityService(dir.resolve("other-store"))
                .sweep(f.ws, m.spec(), null).run(Progress.none());
        for (LayerCurve c : fresh.layers()) {
            assertThat(resumed.curve(c.layer()).sparsity()).isEqualTo(c.sparsity());
            assertThat(resumed.curve(c.layer()).bits()).isEqualTo(c.bits());
        }
    }

    @Test
    void applyingAnAllocationIsOneUndoableEditThatKeepsLockedLayers() throws Exception {
        SensitivityModel m = model();
        assertThat(m.allocate("70")).contains("run the sensitivity analysis first");
        m.run();
        ViewFixture.await(() -> !m.runningProperty().get());
        String locked = f.ws.tree().prunableLayers().get(1).name();
        LayerSettings mine = new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, 0.2), QuantSetting.NONE, true);
        f.wb.editor().edit("lock", f.wb.editor().plan().with(locked, mine));
        Plan before = f.wb.editor().plan();
        m.goalKindProperty().set(AllocationGoal.Kind.SPARSITY);
        assertThat(m.allocate("abc")).contains("not a number");
        assertThat(m.allocate("150")).contains("outside 0-1");
        assertThat(m.allocate("50")).isNull();
        ViewFixture.await(() -> !m.allocatingProperty().get());
        assertThat(f.failures).isEmpty();
        var a = m.allocationProperty().get();
        assertThat(a.allocatedTop1()).isBetween(0.0, 1.0);
        assertThat(a.uniformTop1()).isBetween(0.0, 1.0);
        m.apply();
        Plan after = f.wb.editor().plan();
        assertThat(after).isNotEqualTo(before);
        assertThat(after.settingsOf(locked)).isEqualTo(mine);
        assertThat(f.ws.stats(after).sparsity()).isCloseTo(0.5, within(0.01));
        assertThat(f.wb.editor().undoTextProperty().get()).startsWith("Apply allocation");
        f.wb.editor().undo();
        assertThat(f.wb.editor().plan()).isEqualTo(before);
    }
}
