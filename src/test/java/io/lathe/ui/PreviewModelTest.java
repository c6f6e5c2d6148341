package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.eval.Evaluator;
import io.lathe.eval.PreviewUpdate;
import io.lathe.job.EngineRunner;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.session.TinyModels;
import io.lathe.session.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PreviewModelTest {
    private static final ModelStats STATS = new ModelStats(10, 8, 8, 0, 40, 40, 100, 100, List.of());
    private final EngineRunner runner = EngineRunner.direct();
    private final ManualDelay delay = new ManualDelay();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final PreviewModel model = new PreviewModel(runner, Runnable::run, delay, failures::add);
    private final List<PreviewUpdate> shown = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        runner.close();
    }

    private static Plan plan(double s) {
        return Plan.empty("m", "x").withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, s), QuantSetting.NONE);
    }

    private static PreviewUpdate exact(Plan p, double top1) {
        return new PreviewUpdate(p, top1, 100, 100, 0, true, STATS, false);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aStalePreviewIsCancelledAndItsLateResultNeverShown() throws Exception {
        Plan stale = plan(0.3);
        Plan fresh = plan(0.6);
        CountDownLatch staleStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.reset((p, bn, onUpdate, progress) -> {
            if (p.equals(stale)) {
                staleStarted.countDown();
                release.await();
                onUpdate.accept(exact(p, 0.11));
                return exact(p, 0.11);
            }
            onUpdate.accept(exact(p, 0.66));
            return exact(p, 0.66);
        }, null);
        model.latestProperty().addListener((o, a, b) -> shown.add(b));
        model.request(stale, true);
        assertThat(staleStarted.await(10, TimeUnit.SECONDS)).isTrue();
        model.request(fresh, true);
        release.countDown();
        await(() -> model.latest() != null && model.latest().plan().equals(fresh) && !model.runningProperty().get());
        assertThat(model.cancelledHandles()).hasSize(1);
        assertThat(model.cancelledHandles().get(0).isCancelled()).isTrue();
        assertThat(shown).extracting(PreviewUpdate::plan).doesNotContain(stale);
        assertThat(model.explored()).extracting(ExploredPoint::top1).containsExactly(0.66);
    }

    @Test
    void dragRequestsWaitForThePauseAndOnlyTheLastRuns() throws Exception {
        List<Plan> started = new CopyOnWriteArrayList<>();
        model.reset((p, bn, onUpdate, progress) -> {
            started.add(p);
            return exact(p, 0.5);
        }, null);
        model.request(plan(0.1), false);
        model.request(plan(0.2), false);
        model.request(plan(0.3), false);
        assertThat(delay.pending()).isEqualTo(1);
        Thread.sleep(50);
        assertThat(started).isEmpty();
        delay.elapse();
        await(() -> !model.runningProperty().get());
        assertThat(started).containsExactly(plan(0.3));
    }

    @Test
    void anImmediateRequestDropsThePendingOne() throws Exception {
        List<Plan> started = new CopyOnWriteArrayList<>();
        model.reset((p, bn, onUpdate, progress) -> {
            started.add(p);
            return exact(p, 0.5);
        }, null);
        model.request(plan(0.1), false);
        model.request(plan(0.2), true);
        delay.elapse();
        await(() -> !model.runningProperty().get());
        assertThat(started).containsExactly(plan(0.2));
    }

    @Test
    void aFailedPreviewIsReported() throws Exception {
        model.reset((p, bn, onUpdate, progress) -> {
            throw new IllegalStateException("out of memory, say");
        }, null);
        model.request(plan(0.1), true);
        await(() -> !failures.isEmpty());
        assertThat(failures.get(0)).hasMessage("out of memory, say");
    }

    @Test
    void aPlanWithBatchNormCalibrationIsPreviewedWithReestimation() throws Exception {
        List<Boolean> runs = new CopyOnWriteArrayList<>();
        model.reset((p, bn, onUpdate, progress) -> {
            runs.add(bn);
            return exact(p, 0.5);
        }, null);
        model.request(plan(0.4), true);
        await(() -> runs.size() == 1 && !model.runningProperty().get());
        assertThat(model.reestimateBnProperty().get()).isFalse();
        model.request(plan(0.4).withBatchNormImages(64), true);
        await(() -> runs.size() == 2 && !model.runningProperty().get());
        assertThat(runs).containsExactly(false, true);
        assertThat(model.reestimateBnProperty().get()).isTrue();
        assertThat(model.latest().plan()).isEqualTo(plan(0.4).withBatchNormImages(64));
    }

    @Test
    void previewAccuracyEqualsEvaluatingThePlan() throws Exception {
        LoadedModel m = TinyModels.model();
        Workspace ws = Workspace.of(m, TinyModels.data(), Progress.none());
        model.reset(ws::preview, null);
        Plan p = ws.emptyPlan().withDefaults(PruneSetting.sparsity(Granularity.CHANNEL, 0.5), QuantSetting.bits(6));
        model.request(p, true);
        await(() -> model.latest() != null && model.latest().exact());
        assertThat(model.latest().bnReestimated()).isFalse();
        var cm = new PlanApplier(m, LayerTree.of(m)).apply(p);
        double eval = Evaluator.evaluate(cm.graph(), m, TinyModels.data().validation(), Progress.none()).top1();
        assertThat(model.latest().top1()).isEqualTo(eval);
        assertThat(model.explored()).hasSize(1);
    }
}
