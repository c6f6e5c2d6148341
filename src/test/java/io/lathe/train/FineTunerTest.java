package io.lathe.train;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.CompressedLayer;
import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FineTunerTest {
    /** One block per stage, 8×8 grey images, three classes, with L2 for training. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8, 8).withL2(1e-5);

    private static final String CHANNEL_LAYER = "stage1.block0.conv1";
    private static LabeledImages train;
    private static LabeledImages validation;

    @BeforeAll
    static void data() {
        train = TinyImages.brightestThird(192, 8, 1);
        validation = TinyImages.brightestThird(96, 8, 2);
    }

    private static Plan plan(LoadedModel m) {
        return Plan.empty(m.name(), m.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.6), QuantSetting.NONE)
                .with(CHANNEL_LAYER, new LayerSettings(PruneSetting.sparsity(Granularity.CHANNEL, 0.5), null, false));
    }

    private static FineTuneSettings quick(int epochs) {
        return new FineTuneSettings(epochs, 32, 5e-3, 3, false, null, null, 0, null, false, 0,
                io.lathe.data.Augmentation.SAMPLE);
    }

    @Test
    void writtenPlanAppliesToTheWrittenModelAndChangesNothing(@TempDir Path dir) throws Exception {
        LoadedModel m = NET.withSeed(12).model("tiny-12");
        PlanApplier applier = new PlanApplier(m, LayerTree.of(m));
        Plan plan = plan(m).withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.6), QuantSetting.bits(4))
                .withBatchNormImages(64);
        FineTuneResult r = new FineTuner(applier, plan, null, train, validation, quick(1), new FineTuneListener() {
        }).run(Progress.none());
        Path out = dir.resolve("tiny-ft.zip");
        FineTuneRecord.write(out, r, applier, m, "tiny.zip", null, quick(1), 0.5, 0.5, "test", null);

        LoadedModel written = io.lathe.model.ModelLoader.load(out);
        io.lathe.model.LayerTree tree = io.lathe.model.LayerTree.of(written);
        Plan back = io.lathe.compress.PlanJson.read(java.nio.file.Files.readString(
                FineTuneRecord.sibling(out, ".plan.json")), tree, written.sha256());
        assertThat(back.modelSha256()).isEqualTo(written.sha256());
        assertThat(back.batchNormImages()).as("trained statistics need no calibration").isZero();
        ComputationGraph again = new PlanApplier(written, tree).apply(back).graph();
        assertThat(again.params()).isEqualTo(written.graph().params());
        var recorded = FineTuneRecord.stats(r, m);
        var denseQuantized = applier.stats(applier.compressLayers(
                Plan.empty(m.name(), m.sha256()).withDefaults(PruneSetting.NONE, QuantSetting.bits(4))));
        assertThat(recorded.sparsity()).isGreaterThan(0.5);
        assertThat(recorded.sizeBytes()).as("the stated size counts the sparse encoding")
                .isLessThan(denseQuantized.sizeBytes());
    }

    @Test
    void sharedLayersKeepAtMostTwoToTheBitsValuesWhileTheirCentroidsLearn() throws Exception {
        LoadedModel m = NET.withSeed(11).model("tiny-11");
        PlanApplier applier = new PlanApplier(m, LayerTree.of(m));
        String layer = "stage2.block0.conv1";
        Plan plan = Plan.empty(m.name(), m.sha256()).with(layer, new LayerSettings(
                PruneSetting.sparsity(Granularity.ELEMENT, 0.5), null, false, ShareSetting.bits(2)));
        CompressedLayer start = applier.compressLayer(plan, layer);
        FineTuneResult r = new FineTuner(applier, plan, null, train, validation, quick(1), new FineTuneListener() {
        }).run(Progress.none());
        float[] w = r.model().getLayer(layer).getParam("W").dup('c').data().asFloat();
        java.util.Set<Float> values = new java.util.TreeSet<>();
        java.util.Set<Float> startValues = new java.util.TreeSet<>();
        for (int i = 0; i < w.length; i++) {
            assertThat(w[i] == 0f).as("zero at %d", i).isEqualTo(start.weights()[i] == 0f);
            if (w[i] != 0f) {
                values.add(w[i]);
            }
        }
        for (float c : start.codebook().centroids()) {
            startValues.add(c);
        }
        assertThat(values).hasSizeLessThanOrEqualTo(4).isNotEqualTo(startValues);
    }

    @Test
    void aPlanWithLowRankAndAnActivationThresholdTrainsTheFactorsAndKeepsTheThreshold() throws Exception {
        LoadedModel m = NET.withSeed(11).model("tiny-11");
        PlanApplier applier = new PlanApplier(m, LayerTree.of(m));
        String conv = "stage2.block0.conv1";
        Plan plan = Plan.empty(m.name(), m.sha256())
                .with(conv, LayerSettings.INHERIT.withLowRank(io.lathe.compress.LowRankSetting.rank(2))
                        .withPrune(PruneSetting.sparsity(Granularity.ELEMENT, 0.5)))
                .with("stage1.block0.relu1", LayerSettings.INHERIT
                        .withActivation(io.lathe.compress.ActivationSetting.threshold(0.1)));
        io.lathe.structure.Factorized.Training tr = io.lathe.structure.Factorized.forTraining(applier, plan);
        assertThat(tr.plan().pruneOf(conv + ".lowrank")).isEqualTo(plan.pruneOf(conv));
        assertThat(tr.plan().lowRankLayers()).isEmpty();
        FineTuneResult r = new FineTuner(tr.applier(), tr.plan(), null, train, validation, quick(1),
                new FineTuneListener() {
                }).run(Progress.none());
        INDArray first = r.model().getLayer(conv + ".lowrank").getParam("W");
        assertThat(first.shape()).containsExactly(2, 4, 3, 1);
        assertThat(first.dup('c').data().asFloat()).as("the factor is trained and stays half pruned")
                .isNotEqualTo(tr.model().graph().getLayer(conv + ".lowrank").getParam("W").dup('c').data().asFloat());
        assertThat(first.scan(org.nd4j.linalg.indexing.conditions.Conditions.equals(0)).intValue())
                .isEqualTo((int) (first.length() / 2));
        assertThat(((org.deeplearning4j.nn.conf.layers.ActivationLayer) r.model().getLayer("stage1.block0.relu1").conf()
                .getLayer()).getActivationFn()).isInstanceOf(org.nd4j.linalg.activations.impl.ActivationThresholdedReLU.class);
    }

    @Test
    void keepsMaskedWeightsExactlyZero() throws Exception {
        LoadedModel m = NET.withSeed(11).model("tiny-11");
        PlanApplier applier = new PlanApplier(m, LayerTree.of(m));
        Plan plan = plan(m);
        List<Double> sparsities = new ArrayList<>();
        FineTuneResult r = new FineTuner(applier, plan, null, train, validation, quick(2), new FineTuneListener() {
            @Override
            public void stepDone(StepUpdate u) {
                sparsities.add(u.sparsity());
            }
        }).run(Progress.none());
        ComputationGraph out = r.model();
        long changed = 0;
        for (String layer : applier.originals().layers()) {
            CompressedLayer c = applier.compressLayer(plan, layer);
            float[] w = out.getLayer(layer).getParam("W").dup('c').data().asFloat();
            float[] keep = c.layout().toDl4j(toFloats(c.keep()));
            float[] before = applier.originals().weights(layer);
            for (int i = 0; i < w.length; i++) {
                if (keep[i] == 0f) {
                    assertThat(w[i]).as("%s[%d]", layer, i).isEqualTo(0f);
                } else if (w[i] != before[i]) {
                    changed++;
                }
            }
        }
        assertThat(changed).as("kept weights were trained").isGreaterThan(100);
        boolean[] removed = applier.compressLayer(plan, CHANNEL_LAYER).removedChannels();
        INDArray gamma = out.getLayer(applier.batchNormAfter(CHANNEL_LAYER)).getParam("gamma");
        INDArray beta = out.getLayer(applier.batchNormAfter(CHANNEL_LAYER)).getParam("beta");
        int removedCount = 0;
        for (int ch = 0; ch < removed.length; ch++) {
            if (removed[ch]) {
                removedCount++;
                assertThat(gamma.getFloat(ch)).isEqualTo(0f);
                assertThat(beta.getFloat(ch)).isEqualTo(0f);
            }
        }
        assertThat(removedCount).isEqualTo(2);
        assertThat(sparsities).hasSize(12).allSatisfy(s -> assertThat(s).isGreaterThan(0.55));
        assertThat(r.sparsity()).isGreaterThanOrEqualTo(sparsities.get(0));
    }

    @Test
    void masksHoldInTheTrainingNetworkAfterEveryUpdate() throws Exception {
        LoadedModel m = NET.withSeed(19).model("tiny-19");
        PlanApplier applier = new PlanApplier(m, LayerTree.of(m));
        Plan plan = plan(m);
        WorkingNetwork w = WorkingNetwork.fresh(applier, plan, quick(1).withQat(true), 10);
        int[] idx = FineTuner.order(train.size(), 4);
        for (int step = 0; step < 3; step++) {
            w.net().fit(new org.nd4j.linalg.dataset.DataSet(
                    io.lathe.data.Batches.augmented(train, idx, step * 32, step * 32 + 32, 0, false, new java.util.Random(step)),
                    io.lathe.data.Batches.oneHot(train, idx, step * 32, step * 32 + 32)));
            for (String layer : applier.originals().layers()) {
                CompressedLayer c = applier.compressLayer(plan, layer);
                float[] keep = c.layout().toDl4j(toFloats(c.keep()));
                float[] now = w.net().getLayer(layer).getParam("W").dup('c').data().asFloat();
                for (int i = 0; i < now.length; i++) {
                    if (keep[i] == 0f) {
                        assertThat(now[i]).as("step %d %s[%d]", step, layer, i).isEqualTo(0f);
                    }
                }
            }
            INDArray gamma = w.net().getLayer(applier.batchNormAfter(CHANNEL_LAYER)).getParam("gamma");
            boolean[] removed = applier.compressLayer(plan, CHANNEL_LAYER).removedChannels();
            for (int ch = 0; ch < removed.length; ch++) {
                if (removed[ch]) {
                    assertThat(gamma.getFloat(ch)).isEqualTo(0f);
                }
            }
        }
    }

    @Test
    void gradualPruningReachesThePlanTargetsAtTheScheduleEnd() throws Exception {
        LoadedModel m = NET.withSeed(12).model("tiny-12");
        PlanApplier applier = new PlanApplier(m, LayerTree.of(m));
        Plan plan = Plan.empty(m.name(), m.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.7), QuantSetting.bits(4));
        List<FineTuneListener.StepUpdate> steps = new ArrayList<>();
        AgpSchedule agp = new AgpSchedule(0, 12, 3);
        FineTuneResult r = new FineTuner(applier, plan, null, train, validation,
                quick(3).withSchedule(agp).withQat(true), new FineTuneListener() {
                    @Override
                    public void stepDone(StepUpdate u) {
                        steps.add(u);
                    }
                }).run(Progress.none());
        assertThat(steps.get(0).sparsity()).isCloseTo(0.0, org.assertj.core.api.Assertions.within(0.02));
        assertThat(steps.get(5).sparsity()).isBetween(0.3, 0.69);
        assertThat(steps.get(17).sparsity()).isCloseTo(0.7, org.assertj.core.api.Assertions.within(0.01));
        assertThat(r.sparsity()).isGreaterThanOrEqualTo(steps.get(17).sparsity());
        assertThat(r.bestEpoch()).isGreaterThanOrEqualTo(2);
        for (String layer : applier.originals().layers()) {
            INDArray w = r.model().getLayer(layer).getParam("W");
            assertThat(FakeQuantizer.quantized(w, QuantSetting.bits(4)).equals(w)).as(layer).isTrue();
        }
    }

    @Test
    void cancelledJobLeavesTheLoadedModelUnchanged() throws Exception {
        LoadedModel m = NET.withSeed(13).model("tiny-13");
        INDArray params = m.graph().params().dup();
        String conf = m.graph().getConfiguration().toJson();
        Plan plan = plan(m).withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.6), QuantSetting.bits(4));
        AtomicBoolean cancel = new AtomicBoolean();
        FineTuner job = new FineTuner(new PlanApplier(m, LayerTree.of(m)), plan, m, train, validation,
                quick(2).withQat(true).withDistillation(new Distillation(0.5, 3)), new FineTuneListener() {
                    @Override
                    public void stepDone(StepUpdate u) {
                        if (u.step() == 4) {
                            cancel.set(true);
                        }
                    }
                });
        assertThatThrownBy(() -> job.run(cancelling(cancel))).isInstanceOf(CancelledException.class);
        assertThat(m.graph().params()).isEqualTo(params);
        assertThat(m.graph().getConfiguration().toJson()).isEqualTo(conf);
    }

    @Test
    void resumesFromACheckpointContinuingTheStepCount(@TempDir Path dir) throws Exception {
        LoadedModel m = NET.withSeed(14).model("tiny-14");
        Plan plan = plan(m);
        FineTuneSettings s = quick(2).withCheckpoints(dir, 4, true);
        AtomicBoolean cancel = new AtomicBoolean();
        FineTuner crashing = new FineTuner(new PlanApplier(m, LayerTree.of(m)), plan, null, train, validation, s,
                new FineTuneListener() {
                    @Override
                    public void stepDone(StepUpdate u) {
                        if (u.step() == 5) {
                            cancel.set(true);
                        }
                    }
                });
        assertThatThrownBy(() -> crashing.run(cancelling(cancel))).isInstanceOf(CancelledException.class);
        List<Long> steps = new ArrayList<>();
        FineTuneResult r = new FineTuner(new PlanApplier(m, LayerTree.of(m)), plan, null, train, validation, s,
                new FineTuneListener() {
                    @Override
                    public void stepDone(StepUpdate u) {
                        steps.add(u.step());
                    }
                }).run(Progress.none());
        assertThat(r.resumedAtStep()).isEqualTo(4);
        assertThat(steps.get(0)).isEqualTo(5L);
        assertThat(steps).hasSize(8);
        assertThat(r.steps()).isEqualTo(12);
        assertThat(r.history()).extracting(FineTuneListener.EpochRecord::epoch).containsExactly(1, 2);
    }

    @Test
    void refusesToResumeACheckpointOfAnotherRun(@TempDir Path dir) throws Exception {
        LoadedModel m = NET.withSeed(15).model("tiny-15");
        Plan plan = plan(m);
        new FineTuner(new PlanApplier(m, LayerTree.of(m)), plan, null, train, validation, quick(1).withCheckpoints(dir, 0, true),
                FineTuneListener.none()).run(Progress.none());
        FineTuner other = new FineTuner(new PlanApplier(m, LayerTree.of(m)), plan, null, train, validation,
                quick(2).withCheckpoints(dir, 0, true), FineTuneListener.none());
        assertThatThrownBy(() -> other.run(Progress.none())).hasMessageContaining("different run");
    }

    @Test
    void distilsIntoASmallerDifferentStudent() throws Exception {
        LoadedModel teacher = NET.withSeed(16).model("tiny-16");
        new FineTuner(new PlanApplier(teacher, LayerTree.of(teacher)), Plan.empty(teacher.name(), teacher.sha256()), null, train,
                validation, quick(3), FineTuneListener.none()).run(Progress.none());
        LoadedModel student = TinyResNet.of(1, 2, 4, 4).withL2(1e-5).withSeed(17).model("tiny-small-17");
        List<Double> losses = new ArrayList<>();
        FineTuneResult r = new FineTuner(new PlanApplier(student, LayerTree.of(student)), Plan.empty(student.name(), student.sha256()),
                teacher, train, validation, quick(3).withDistillation(new Distillation(1.0, 2)),
                new FineTuneListener() {
                    @Override
                    public void stepDone(StepUpdate u) {
                        losses.add(u.loss());
                    }
                }).run(Progress.none());
        assertThat(r.model().numParams()).isLessThan(teacher.graph().numParams());
        double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
        double last = (losses.get(15) + losses.get(16) + losses.get(17)) / 3;
        assertThat(last).as("distillation loss falls").isLessThan(first);
    }

    @Test
    void pausesBetweenStepsAndContinuesOnResume() throws Exception {
        LoadedModel m = NET.withSeed(18).model("tiny-18");
        List<Long> steps = new ArrayList<>();
        FineTuner[] job = new FineTuner[1];
        job[0] = new FineTuner(new PlanApplier(m, LayerTree.of(m)), plan(m), null, train, validation, quick(1),
                new FineTuneListener() {
                    @Override
                    public void stepDone(StepUpdate u) {
                        steps.add(u.step());
                        if (u.step() == 2) {
                            job[0].pause();
                        }
                    }
                });
        var runner = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var done = runner.submit(() -> job[0].run(Progress.none()));
            long deadline = System.currentTimeMillis() + 20_000;
            while (steps.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
            assertThat(job[0].isPaused()).isTrue();
            assertThat(steps).containsExactly(1L, 2L);
            job[0].resume();
            assertThat(done.get(60, java.util.concurrent.TimeUnit.SECONDS).steps()).isEqualTo(6);
        } finally {
            runner.shutdownNow();
        }
    }

    private static Progress cancelling(AtomicBoolean flag) {
        return new Progress() {
            @Override
            public void update(double fraction, String message) {
            }

            @Override
            public boolean isCancelled() {
                return flag.get();
            }
        };
    }

    private static float[] toFloats(boolean[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] ? 1f : 0f;
        }
        return f;
    }
}
