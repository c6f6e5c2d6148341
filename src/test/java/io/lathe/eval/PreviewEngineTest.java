package io.lathe.eval;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.ActivationSetting;
import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.LowRankSetting;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.compress.ShareSetting;
import io.lathe.data.LabeledImages;
import io.lathe.job.CancelledException;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreviewEngineTest {
    /** Two blocks per stage, 12×12 grey images, ten classes, random BatchNorm statistics, sharpened outputs. */
    private static final TinyResNet NET = TinyResNet.of(2, 4, 8, 8).withInput(1, 12).withClasses(10)
            .withNorms(TinyResNet.Norms.RANDOM).withSharpenedOutputs();

    private static LoadedModel model;
    private static PlanApplier applier;
    private static LabeledImages validation;

    @BeforeAll
    static void build() throws Exception {
        model = NET.withSeed(11).model("tiny");
        applier = new PlanApplier(model, LayerTree.of(model));
        validation = TinyImages.waves(300, 12, 10, 5);
    }

    private static Plan uniform(double sparsity) {
        return Plan.empty(model.name(), model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, sparsity), QuantSetting.NONE);
    }

    private static Plan withLayer(Plan p, String layer, PruneSetting prune, QuantSetting quant) {
        return p.with(layer, new LayerSettings(prune, quant, false));
    }

    private static void assertEqualsEvaluator(PreviewEngine engine, Plan plan, PreviewUpdate exact) {
        Evaluation e = Evaluator.evaluate(applier.apply(plan).graph(), model, validation, Progress.none());
        assertThat(exact.exact()).isTrue();
        assertThat(exact.top1()).isEqualTo(e.top1());
        assertThat(engine.lastPredictions()).containsExactly(e.predictions());
    }

    @Test
    void exactPreviewEqualsTheEvaluatorOnTheSamePlanAcrossSuccessiveEdits() {
        try (PreviewEngine engine = new PreviewEngine(applier, validation)) {
            Plan p = uniform(0.5);
            List<Plan> plans = List.of(p,
                    p = withLayer(p, "stage2.block1.conv2", PruneSetting.sparsity(Granularity.ELEMENT, 0.9), QuantSetting.NONE),
                    p = withLayer(p, "stage1.block0.conv1", PruneSetting.sparsity(Granularity.CHANNEL, 0.5), QuantSetting.NONE),
                    p = withLayer(p, "stage3.block1.conv1", PruneSetting.NONE, QuantSetting.bits(4)),
                    p = withLayer(p, "fc", PruneSetting.sparsity(Granularity.ELEMENT, 0.95), QuantSetting.NONE));
            for (Plan plan : plans) {
                List<PreviewUpdate> updates = new ArrayList<>();
                PreviewUpdate exact = engine.preview(plan, updates::add, Progress.none());
                assertEqualsEvaluator(engine, plan, exact);
                assertThat(updates).last().isEqualTo(exact);
                assertThat(updates.subList(0, updates.size() - 1)).allMatch(u -> !u.exact() && u.interval95() > 0);
                assertThat(updates).extracting(PreviewUpdate::images).isSorted();
            }
        }
    }

    @Test
    void exactPreviewWithWeightSharingEqualsTheEvaluatorAsSharingChanges() {
        String conv = "stage2.block0.conv1";
        try (PreviewEngine engine = new PreviewEngine(applier, validation)) {
            Plan p = uniform(0.3);
            List<Plan> plans = List.of(
                    p = p.with(conv, new LayerSettings(null, QuantSetting.bits(6), false, ShareSetting.bits(3))),
                    p = p.with(conv, new LayerSettings(null, QuantSetting.bits(6), false, ShareSetting.bits(1))),
                    p = p.withDefaultShare(ShareSetting.bits(2)),
                    p.with(conv, new LayerSettings(null, QuantSetting.bits(6), false, ShareSetting.NONE)));
            for (Plan plan : plans) {
                assertEqualsEvaluator(engine, plan, engine.preview(plan, u -> { }, Progress.none()));
            }
        }
    }

    @Test
    void exactPreviewWithLowRankAndActivationThresholdsEqualsTheEvaluatorAsTheyChange() {
        String conv = "stage2.block0.conv1";
        String relu = "stage2.block0.relu1";
        try (PreviewEngine engine = new PreviewEngine(applier, validation)) {
            Plan p = uniform(0.3);
            List<Plan> plans = List.of(p,
                    p = p.with(conv, p.settingsOf(conv).withLowRank(LowRankSetting.rank(3))),
                    p = p.with(relu, p.settingsOf(relu).withActivation(ActivationSetting.threshold(0.2))),
                    p = p.with("fc", p.settingsOf("fc").withLowRank(LowRankSetting.energy(0.8)).withQuant(QuantSetting.bits(4))),
                    p = p.with(conv, p.settingsOf(conv).withLowRank(LowRankSetting.rank(5))),
                    p = p.with(relu, p.settingsOf(relu).withActivation(ActivationSetting.NONE)),
                    p.with(conv, p.settingsOf(conv).withLowRank(LowRankSetting.NONE)));
            int[] previous = null;
            for (Plan plan : plans) {
                assertEqualsEvaluator(engine, plan, engine.preview(plan, u -> { }, Progress.none()));
                if (previous != null) {
                    assertThat(engine.lastPredictions()).as("each edit changes some prediction").isNotEqualTo(previous);
                }
                previous = engine.lastPredictions();
            }
        }
    }

    @Test
    void anActivationThresholdOnALayerThatIsNotAReluIsRefused() {
        Plan p = uniform(0.1).with("stage1.block0.conv1", LayerSettings.INHERIT.withActivation(ActivationSetting.threshold(0.1)));
        try (PreviewEngine engine = new PreviewEngine(applier, validation)) {
            assertThatThrownBy(() -> engine.preview(p, u -> { }, Progress.none()))
                    .hasMessageContaining("is not a ReLU activation layer");
        }
    }

    @Test
    void aCancelledPreviewThrowsAndLeavesTheModelUnchanged() {
        float[] before = model.graph().params().dup().data().asFloat();
        try (PreviewEngine engine = new PreviewEngine(applier, validation)) {
            engine.preview(uniform(0.3), u -> { }, Progress.none());
            Plan next = withLayer(uniform(0.3), "stage1.block1.conv1",
                    PruneSetting.sparsity(Granularity.ELEMENT, 0.9), QuantSetting.NONE);
            SuffixRunnerTest.CancelAfter cancel = new SuffixRunnerTest.CancelAfter(1);
            assertThatThrownBy(() -> engine.preview(next, u -> { }, cancel)).isInstanceOf(CancelledException.class);
            assertThat(model.graph().params().dup().data().asFloat()).containsExactly(before);
            Plan third = withLayer(next, "stage3.block0.conv2", PruneSetting.sparsity(Granularity.ELEMENT, 0.8),
                    QuantSetting.NONE);
            assertEqualsEvaluator(engine, third, engine.preview(third, u -> { }, Progress.none()));
        }
    }

    @Test
    void previewOrderInterleavesClassesAndKeepsTheLastPartialBatch() {
        int[] order = PreviewEngine.previewOrder(validation);
        int present = (int) java.util.Arrays.stream(validation.labels(), 0, 256).distinct().count();
        assertThat(present).isGreaterThan(5);
        int[] counts = new int[validation.classes()];
        java.util.Arrays.stream(validation.labels(), 0, 256).forEach(l -> counts[l]++);
        int rounds = java.util.Arrays.stream(counts).filter(c -> c > 0).min().orElse(0);
        assertThat(rounds).isGreaterThan(10);
        for (int start = 0; start + present <= present * rounds; start += present) {
            int s0 = start;
            assertThat(java.util.stream.IntStream.range(s0, s0 + present).map(i -> validation.label(order[i]))
                    .distinct().count()).as("labels at " + s0).isEqualTo(present);
        }
        for (int i = 256; i < 300; i++) {
            assertThat(order[i]).isEqualTo(i);
        }
        assertThat(java.util.Arrays.stream(order).sorted().toArray())
                .containsExactly(java.util.stream.IntStream.range(0, 300).toArray());
    }

    @Test
    void bnReestimatedPreviewEqualsEvaluatorAfterTheSameReestimation() throws Exception {
        BnReestimator bn = new BnReestimator(TinyImages.waves(300, 12, 10, 17), 300);
        try (PreviewEngine engine = new PreviewEngine(applier, validation, 1L << 30, bn)) {
            Plan p = uniform(0.6);
            for (Plan plan : List.of(p, withLayer(p, "stage2.block0.conv2",
                    PruneSetting.sparsity(Granularity.ELEMENT, 0.9), QuantSetting.NONE))) {
                PreviewUpdate u = engine.preview(plan, true, x -> { }, Progress.none());
                var copy = applier.apply(plan).graph();
                bn.apply(copy, applier.tree(), plan, Progress.none());
                Evaluation e = Evaluator.evaluate(copy, model, validation, Progress.none());
                assertThat(u.bnReestimated()).isTrue();
                assertThat(u.top1()).isEqualTo(e.top1());
                assertThat(engine.lastPredictions()).containsExactly(e.predictions());
            }
            PreviewUpdate plain = engine.preview(p, false, x -> { }, Progress.none());
            assertThat(plain.bnReestimated()).isFalse();
            assertEqualsEvaluator(engine, p, plain);
        }
    }

    @Test
    void calibratedPreviewsAcrossEditsAtEveryDepthEqualAFullCalibrationFromTheInput() throws Exception {
        BnReestimator bn = new BnReestimator(TinyImages.waves(300, 12, 10, 17), 300);
        try (PreviewEngine engine = new PreviewEngine(applier, validation, 1L << 30, bn)) {
            Plan p = uniform(0.5).withBatchNormImages(300);
            List<Plan> plans = List.of(p,
                    p = withLayer(p, "stage3.block1.conv1", PruneSetting.sparsity(Granularity.ELEMENT, 0.9), QuantSetting.NONE),
                    p = withLayer(p, "stage1.block0.conv2", PruneSetting.NONE, QuantSetting.bits(3)),
                    p = withLayer(p, "stage2.block0.conv1", PruneSetting.sparsity(Granularity.CHANNEL, 0.5), QuantSetting.NONE),
                    p = withLayer(p, "stage3.block1.conv1", PruneSetting.sparsity(Granularity.ELEMENT, 0.3), QuantSetting.NONE));
            for (Plan plan : plans) {
                PreviewUpdate u = engine.preview(plan, true, x -> { }, Progress.none());
                var copy = applier.apply(plan).graph();
                bn.apply(copy, applier.tree(), plan, Progress.none());
                Evaluation e = Evaluator.evaluate(copy, model, validation, Progress.none());
                assertThat(u.top1()).isEqualTo(e.top1());
                assertThat(engine.lastPredictions()).containsExactly(e.predictions());
            }
            PreviewUpdate plain = engine.preview(p, false, x -> { }, Progress.none());
            assertEqualsEvaluator(engine, p, plain);
            Plan last = withLayer(p, "stage3.block0.conv2", PruneSetting.sparsity(Granularity.ELEMENT, 0.8), QuantSetting.NONE);
            PreviewUpdate again = engine.preview(last, true, x -> { }, Progress.none());
            var copy = applier.apply(last).graph();
            bn.apply(copy, applier.tree(), last, Progress.none());
            assertThat(engine.lastPredictions()).containsExactly(
                    Evaluator.evaluate(copy, model, validation, Progress.none()).predictions());
            assertThat(again.bnReestimated()).isTrue();
        }
    }

    @Test
    void calibratedPreviewWithLowRankAndActivationThresholdsEqualsAFullCalibration() throws Exception {
        BnReestimator bn = new BnReestimator(TinyImages.waves(300, 12, 10, 17), 300);
        try (PreviewEngine engine = new PreviewEngine(applier, validation, 1L << 30, bn)) {
            Plan p = uniform(0.4).withBatchNormImages(300);
            List<Plan> plans = List.of(p,
                    p = p.with("stage3.block0.conv1", p.settingsOf("stage3.block0.conv1").withLowRank(LowRankSetting.rank(2))),
                    p = p.with("stage1.block1.relu2", p.settingsOf("stage1.block1.relu2")
                            .withActivation(ActivationSetting.threshold(0.3))),
                    p.with("stage3.block0.conv1", p.settingsOf("stage3.block0.conv1").withLowRank(LowRankSetting.rank(4))));
            for (Plan plan : plans) {
                engine.preview(plan, true, x -> { }, Progress.none());
                var copy = applier.apply(plan).graph();
                bn.apply(copy, applier.tree(), plan, Progress.none());
                assertThat(engine.lastPredictions()).containsExactly(
                        Evaluator.evaluate(copy, model, validation, Progress.none()).predictions());
            }
        }
    }
}
