package io.lathe.session;

import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.DataSplits;
import io.lathe.data.Split;
import io.lathe.eval.Evaluation;
import io.lathe.eval.Evaluator;
import io.lathe.eval.PreviewUpdate;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceTest {
    private static LoadedModel model;
    private static Workspace ws;

    @BeforeAll
    static void open() throws Exception {
        model = TinyModels.model();
        ws = Workspace.of(model, TinyModels.data(), Progress.none());
        ws.measureBaseline(Progress.none());
    }

    @Test
    void baselineIsTheUnchangedModelsValidationAccuracy() {
        Evaluation direct = Evaluator.evaluate(model.graph(), model, TinyModels.data().validation(), Progress.none());
        assertThat(ws.baseline().top1()).isEqualTo(direct.top1());
        assertThat(ws.baseline().images()).isEqualTo(TinyModels.TRAIN / 10);
        assertThat(ws.baseline().top1()).isEqualTo(1.0);
    }

    @Test
    void previewsExactAccuracyEqualsEvaluatingTheAppliedPlan() {
        Plan plan = ws.emptyPlan().withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.8), QuantSetting.bits(4));
        List<PreviewUpdate> seen = new ArrayList<>();
        PreviewUpdate last = ws.preview(plan, false, seen::add, Progress.none());
        var cm = new PlanApplier(model, LayerTree.of(model)).apply(plan);
        Evaluation cli = Evaluator.evaluate(cm.graph(), model, TinyModels.data().validation(), Progress.none());
        assertThat(last.exact()).isTrue();
        assertThat(last.top1()).isEqualTo(cli.top1());
        assertThat(ws.evaluate(plan, Split.VALIDATION, Progress.none()).top1()).isEqualTo(cli.top1());
        assertThat(seen).last().isEqualTo(last);
        assertThat(last.top1()).isLessThan(ws.baseline().top1());
    }

    @Test
    void batchNormReestimationIsReportedAndSwitchingItOffGivesThePlainFigureAgain() {
        Plan plan = ws.emptyPlan().withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.6), QuantSetting.NONE);
        PreviewUpdate plain = ws.preview(plan, false, u -> { }, Progress.none());
        PreviewUpdate bn = ws.preview(plan, true, u -> { }, Progress.none());
        assertThat(bn.bnReestimated()).isTrue();
        assertThat(plain.bnReestimated()).isFalse();
        assertThat(ws.bnImages()).isPositive();
        assertThat(ws.preview(plan, false, u -> { }, Progress.none()).top1()).isEqualTo(plain.top1());
    }

    @Test
    void statsReflectThePlan() {
        Plan plan = ws.emptyPlan().with("stage2.block0.conv1",
                new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), null, true));
        assertThat(ws.stats(plan).nonZeroParams()).isLessThan(ws.stats(ws.emptyPlan()).nonZeroParams());
        assertThat(ws.stats(plan).compressionRatio()).isGreaterThan(1);
    }

    @Test
    void dataOfAnotherShapeIsKeptOutWithAReason() throws Exception {
        var other = io.lathe.data.DataSplits.of("other", new io.lathe.data.LabeledImages("x", new float[20 * 9],
                new int[20], 1, 3, 3, 1, new String[]{"a"}), new io.lathe.data.LabeledImages("t", new float[9],
                new int[1], 1, 3, 3, 1, new String[]{"a"}), 5);
        Workspace w = Workspace.of(model, other, Progress.none());
        assertThat(w.data()).isNull();
        assertThat(w.baseline()).isNull();
        assertThat(w.dataProblem()).contains("1x28x28");
        assertThatThrownBy(() -> w.preview(w.emptyPlan(), false, u -> { }, Progress.none()))
                .hasMessageContaining("1x28x28");
    }

    @Test
    void latencyIsMeasuredForBothModelsAtBothBatchSizes() throws Exception {
        Workspace.LatencyReport r = ws.latency(ws.emptyPlan(), 2, 1, Progress.none());
        assertThat(r.channelsRemoved()).isFalse();
        assertThat(r.denseBatch1().batch()).isEqualTo(1);
        assertThat(r.planBatch64().batch()).isEqualTo(64);
        assertThat(r.denseBatch64().medianMs()).isPositive();
        assertThat(r.planBatch1().repeats()).isEqualTo(2);
    }

    @Test
    void aPlanThatRemovesChannelsIsTimedOnThePhysicallySmallerNetwork() throws Exception {
        Plan plan = ws.emptyPlan().withDefaults(PruneSetting.sparsity(Granularity.CHANNEL, 0.5), QuantSetting.NONE);
        Workspace.LatencyReport r = ws.latency(plan, 1, 1, Progress.none());
        assertThat(r.channelsRemoved()).isTrue();
        assertThat(ws.latency(plan.withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), QuantSetting.NONE),
                1, 1, Progress.none()).channelsRemoved()).isFalse();
    }

    @Test
    void opensAModelFileAndIdxFolder(@TempDir Path dir) throws Exception {
        Path zip = TinyModels.saveZip(dir);
        Path idx = TinyModels.writeIdx(dir.resolve("data"));
        Workspace w = Workspace.open(zip, Workspace.loadData(idx, new int[]{1, 28, 28}), Progress.none());
        assertThat(w.modelName()).isEqualTo("tiny-resnet");
        assertThat(w.tree().prunableLayers()).hasSize(model == null ? 0 : LayerTree.of(model).prunableLayers().size());
        assertThat(w.baseline()).isNull();
        assertThat(w.measureBaseline(Progress.none()).images()).isEqualTo(TinyModels.TRAIN / 10);
        assertThat(w.baseline().top1()).isEqualTo(1.0);
    }

    @Test
    void dataOpenedForAnotherPreprocessingIsReadAgainAsTheModelStates(@TempDir Path dir) throws Exception {
        Path zip = TinyModels.saveZip(dir);
        Files.writeString(dir.resolve("tiny-resnet.json"), "{\"preprocess\": \"raw\"}");
        Path idx = TinyModels.writeIdx(dir.resolve("data"));
        DataSplits unit = Workspace.loadData(idx, new int[]{1, 28, 28});
        Workspace w = Workspace.open(zip, unit, Progress.none());
        assertThat(w.data().preprocessing()).isEqualTo(io.lathe.data.Preprocessing.preset("raw"));
        float maxUnit = 0;
        float maxRaw = 0;
        for (int i = 0; i < unit.train().pixels().length; i++) {
            maxUnit = Math.max(maxUnit, unit.train().pixels()[i]);
            maxRaw = Math.max(maxRaw, w.data().train().pixels()[i]);
        }
        assertThat(maxRaw).isEqualTo(maxUnit * 255, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(w.notes()).noneMatch(n -> n.startsWith("No preprocessing stated"));
    }

    @Test
    void aCorruptModelFileIsRefusedInPlainWords(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("broken.zip"), "not a zip at all");
        assertThatThrownBy(() -> Workspace.open(bad, TinyModels.data(), Progress.none()))
                .hasMessageContaining("broken.zip");
    }
}
