package io.lathe.sensitivity;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.model.CouplingGroup;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AllocatorTest {
    /** One block per stage, 12×12 grey images, four classes (the brightest quadrant). */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8, 8).withInput(1, 12).withClasses(4).withSeed(7);

    private static final double BASE = 0.9;
    private static LoadedModel model;
    private static LayerTree tree;
    private static PlanApplier applier;

    @BeforeAll
    static void setUp() throws Exception {
        model = NET.model("tiny");
        tree = LayerTree.of(model);
        applier = new PlanApplier(model, tree);
    }

    /** Synthetic curves: accuracy falls as k·s² (k grows along the network except for the last layer). */
    private static SensitivityCurves curves(Granularity g) {
        List<LayerCurve> layers = new ArrayList<>();
        List<LayerInfo> prunable = tree.prunableLayers();
        for (int i = 0; i < prunable.size(); i++) {
            double k = i == 0 ? 0.8 : 0.05 + 0.04 * (i % 5);
            TreeMap<Double, Double> sp = new TreeMap<>();
            for (double s : SweepSpec.DEFAULT_SPARSITIES) {
                sp.put(s, BASE - k * s * s);
            }
            TreeMap<Integer, Double> bits = new TreeMap<>();
            for (int b : SweepSpec.DEFAULT_BITS) {
                bits.put(b, BASE - k * 0.3 / b);
            }
            layers.add(new LayerCurve(prunable.get(i).name(), prunable.get(i).weights(), sp, bits, false));
        }
        return new SensitivityCurves(model.sha256(), "data", 100, BASE, g, "1x4", SweepSpec.DEFAULT_SPARSITIES,
                SweepSpec.DEFAULT_BITS, layers, null);
    }

    private static Allocator allocator(Granularity g) {
        SensitivityCurves c = curves(g);
        return new Allocator(applier, c, c, Allocator.Options.defaults());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.6, 0.85})
    void sparsityGoalIsMetWithinOnePercent(double target) {
        Allocation a = allocator(Granularity.ELEMENT).allocate(AllocationGoal.sparsity(target), Plan.empty("t", null));
        ModelStats exact = applier.stats(applier.compressLayers(a.plan()));
        assertThat(exact.sparsity()).isCloseTo(target, within(0.01));
        assertThat(a.stats().sparsity()).isEqualTo(exact.sparsity());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.15, 0.3, 0.6})
    void sizeGoalIsMetWithinOnePercent(double fractionOfFp32) {
        long fp32 = applier.stats(applier.compressLayers(Plan.empty("t", null))).sizeBytes();
        double kb = fractionOfFp32 * fp32 / 1000;
        Allocation a = allocator(Granularity.ELEMENT).allocate(AllocationGoal.sizeKb(kb), Plan.empty("t", null));
        long size = applier.stats(applier.compressLayers(a.plan())).sizeBytes();
        assertThat((double) size).isCloseTo(kb * 1000, within(0.01 * kb * 1000));
        assertThat(a.bits().values()).anyMatch(b -> b < 32);
    }

    @Test
    void pinnedLayersKeepTheirSettingsAndCountTowardTheGoal() {
        String pinned = tree.prunableLayers().get(3).name();
        LayerSettings s = new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, 0.1), QuantSetting.bits(6), true);
        Plan base = Plan.empty("t", null).with(pinned, s);
        Allocation a = allocator(Granularity.ELEMENT).allocate(AllocationGoal.sparsity(0.6), base);
        assertThat(a.plan().settingsOf(pinned)).isEqualTo(s);
        assertThat(a.sparsity()).doesNotContainKey(pinned);
        assertThat(applier.stats(applier.compressLayers(a.plan())).sparsity()).isCloseTo(0.6, within(0.01));
    }

    @Test
    void sensitiveStemGetsLessSparsityThanRobustLayers() {
        Allocation a = allocator(Granularity.ELEMENT).allocate(AllocationGoal.sparsity(0.5), Plan.empty("t", null));
        String stem = tree.prunableLayers().get(0).name();
        String robust = tree.prunableLayers().get(5).name();
        assertThat(a.sparsity().get(stem)).isLessThan(a.sparsity().get(robust));
        assertThat(a.sparsity().values()).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0.95));
    }

    @Test
    void couplingGroupsMoveTogetherForChannelPruning() {
        Allocation a = allocator(Granularity.CHANNEL).allocate(AllocationGoal.sparsity(0.4), Plan.empty("t", null));
        assertThat(tree.couplingGroups()).isNotEmpty();
        for (CouplingGroup g : tree.couplingGroups()) {
            double first = a.sparsity().get(g.members().get(0));
            for (String m : g.members()) {
                assertThat(a.sparsity().get(m)).as(m).isEqualTo(first);
            }
        }
    }

    @Test
    void maxDropGoalKeepsTheEstimatedDropWithinTheBudget() {
        Allocation a = allocator(Granularity.ELEMENT).allocate(AllocationGoal.maxDrop(3), Plan.empty("t", null));
        assertThat(a.estimatedDrop()).isCloseTo(3, within(1e-6));
        assertThat(a.stats().sparsity()).isGreaterThan(0.1);
    }

    @Test
    void unreachableGoalIsRefusedWithAHint() {
        assertThatThrownBy(() -> allocator(Granularity.ELEMENT).allocate(AllocationGoal.sparsity(0.97),
                Plan.empty("t", null))).hasMessageContaining("cannot be reached").hasMessageContaining("less aggressive");
    }

    @Test
    void badGoalsAreRefused() {
        assertThatThrownBy(() -> AllocationGoal.sparsity(1.2)).hasMessageContaining("outside 0-1");
        assertThatThrownBy(() -> AllocationGoal.sizeKb(-3)).hasMessageContaining("positive");
        assertThatThrownBy(() -> AllocationGoal.maxDrop(-1)).hasMessageContaining("0-100");
    }

    @Test
    void uniformComparisonPlanHasTheSameGlobalSparsity() {
        Allocation a = allocator(Granularity.ELEMENT).allocate(AllocationGoal.sparsity(0.7), Plan.empty("t", null));
        Plan u = AllocationComparison.uniformLike(applier, a);
        assertThat(applier.stats(applier.compressLayers(u)).sparsity()).isCloseTo(a.stats().sparsity(), within(0.005));
        assertThat(u.pruneOf(tree.prunableLayers().get(0).name()).sparsity())
                .isEqualTo(u.pruneOf(tree.prunableLayers().get(4).name()).sparsity());
    }

    @Test
    void calibratedComparisonCarriesTheCalibrationAndAlsoMeasuresWithoutIt() {
        Allocation a = allocator(Granularity.ELEMENT).allocate(AllocationGoal.sparsity(0.7),
                Plan.empty("t", null).withBatchNormImages(64));
        var images = TinyImages.brightestQuadrant(64, 12, 3);
        AllocationComparison c = AllocationComparison.measure(applier, a, images, TinyImages.brightestQuadrant(64, 12, 4),
                io.lathe.job.Progress.none());
        assertThat(a.plan().batchNormImages()).isEqualTo(64);
        assertThat(c.uniform().batchNormImages()).isEqualTo(64);
        assertThat(c.calibrated()).isTrue();
        assertThat(c.allocatedPlainTop1()).isBetween(0.0, 1.0);
        assertThat(c.uniformPlainTop1()).isBetween(0.0, 1.0);
        var plain = AllocationComparison.measure(applier, allocator(Granularity.ELEMENT).allocate(
                AllocationGoal.sparsity(0.7), Plan.empty("t", null)), images, null, io.lathe.job.Progress.none());
        assertThat(plain.calibrated()).isFalse();
        assertThat(plain.allocatedPlainTop1()).isNaN();
        assertThat(plain.allocatedTop1()).isEqualTo(c.allocatedPlainTop1());
    }
}
