package io.lathe.ui.views;

import io.lathe.train.AgpSchedule;
import io.lathe.ui.finetune.FineTuneForm;
import io.lathe.ui.finetune.FineTuneModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FineTuneModelTest extends ViewModelTest {
    private FineTuneModel model() throws Exception {
        f = new ViewFixture(dir, true);
        f.pruneUniformly(0.5);
        return new FineTuneModel(f.wb, Runnable::run, dir.resolve("out"));
    }

    @Test
    void aPlanThatSharesWeightsAsksToSwitchOffGradualPruning() throws Exception {
        FineTuneModel m = model();
        String layer = "stage2.block0.conv1";
        var plan = f.wb.editor().plan();
        f.wb.editor().edit("share", plan.with(layer, plan.settingsOf(layer)
                .withShare(io.lathe.compress.ShareSetting.bits(4))));
        assertThat(m.validate()).contains("shares weights").contains("switch off gradual pruning");
        m.form().gradualProperty().set(false);
        assertThat(m.validate()).isNull();
    }

    @Test
    void badSettingsAreRefusedWithWhatToTypeInstead() throws Exception {
        FineTuneModel m = model();
        FineTuneForm form = m.form();
        assertThat(m.validate()).isNull();
        form.epochsProperty().set("0");
        assertThat(m.validate()).contains("Epochs must be between 1");
        form.epochsProperty().set("two");
        assertThat(m.validate()).contains("not a whole number");
        form.epochsProperty().set("2");
        form.endEpochProperty().set("3");
        assertThat(m.validate()).contains("after the last epoch");
        form.endEpochProperty().set("1");
        form.startEpochProperty().set("1");
        assertThat(m.validate()).contains("must come after its start");
        form.startEpochProperty().set("0");
        form.learningRateProperty().set("x");
        assertThat(m.validate()).contains("Learning rate").contains("not a number");
        form.learningRateProperty().set("1e-3");
        form.distillProperty().set(true);
        form.alphaProperty().set("1.5");
        assertThat(m.validate()).contains("α must be between 0 and 1");
        form.alphaProperty().set("0.5");
        assertThat(m.validate()).isNull();
        assertThat(m.start()).isNull();
        assertThat(m.start()).contains("already running");
        m.cancel();
        ViewFixture.await(() -> m.stateProperty().get() == FineTuneModel.State.CANCELLED);
    }

    @Test
    void theScheduleCurveFollowsTheGradualPruningFormulaUpToThePlansSparsity() throws Exception {
        FineTuneModel m = model();
        FineTuneForm form = m.form();
        form.epochsProperty().set("4");
        form.startEpochProperty().set("1");
        form.endEpochProperty().set("3");
        form.frequencyProperty().set("1");
        int per = m.stepsPerEpoch();
        double target = m.targetSparsity();
        assertThat(target).isCloseTo(0.5, within(0.01));
        List<double[]> curve = m.scheduleCurve();
        assertThat(curve.get(0)).containsExactly(0, 0);
        assertThat(curve.get(curve.size() - 1)).containsExactly(4, target);
        for (int i = 1; i < curve.size(); i++) {
            assertThat(curve.get(i)[0]).isGreaterThanOrEqualTo(curve.get(i - 1)[0]);
            assertThat(curve.get(i)[1]).isGreaterThanOrEqualTo(curve.get(i - 1)[1]);
        }
        AgpSchedule agp = new AgpSchedule(per, 3L * per, 1);
        long mid = 2L * per;
        double expected = target + (0 - target) * Math.pow(1 - (double) (mid - per) / (2 * per), 3);
        assertThat(curve).anySatisfy(p -> {
            assertThat(p[0]).isEqualTo(2.0);
            assertThat(p[1]).isCloseTo(expected, within(1e-12));
        });
        assertThat(agp.sparsity(mid, 0, target)).isCloseTo(expected, within(1e-12));
        form.gradualProperty().set(false);
        assertThat(m.scheduleCurve()).allSatisfy(p -> assertThat(p[1]).isEqualTo(target));
        form.endEpochProperty().set("9");
        form.gradualProperty().set(true);
        assertThat(m.scheduleCurve()).isEmpty();
        form.epochsProperty().set("1");
        form.startEpochProperty().set("0");
        form.endEpochProperty().set("0.5");
        form.frequencyProperty().set("50");
        assertThat(m.scheduleCurve()).as("a schedule ending within the only epoch").hasSizeGreaterThan(2)
                .last().satisfies(p -> assertThat(p[0]).isEqualTo(1.0));
    }

    @Test
    void aShortRunShowsLiveFiguresAndWritesAModelThatCanBeOpened() throws Exception {
        FineTuneModel m = model();
        FineTuneForm form = m.form();
        form.epochsProperty().set("1");
        form.gradualProperty().set(false);
        form.qatProperty().set(false);
        assertThat(m.estimatedSeconds()).isPositive();
        var before = f.ws;
        assertThat(m.start()).isNull();
        ViewFixture.await(() -> m.stateProperty().get() == FineTuneModel.State.DONE
                || m.stateProperty().get() == FineTuneModel.State.FAILED);
        assertThat(f.failures).isEmpty();
        assertThat(m.losses()).hasSize(m.stepsPerEpoch());
        assertThat(m.epochs()).hasSize(1);
        assertThat(m.sparsityProperty().get()).isCloseTo(0.5, within(0.02));
        var o = m.outcomeProperty().get();
        assertThat(o.modelFile()).exists();
        assertThat(o.planFile()).exists();
        assertThat(Files.readString(o.recordFile())).contains("\"testTop1\"");
        assertThat(o.sparsity()).isCloseTo(0.5, within(0.02));
        assertThat(f.wb.workspace()).isSameAs(before);
        m.openResult();
        ViewFixture.await(() -> f.wb.workspace() != before && !f.wb.workspaces().loadingProperty().get());
        assertThat(f.wb.workspace().origin()).contains(o.modelFile().getFileName().toString());
    }

    @Test
    void aFreshResNet8StudentLearnsFromTheUnchangedModelAndCanBeOpened() throws Exception {
        FineTuneModel m = model();
        FineTuneForm form = m.form();
        form.epochsProperty().set("1");
        form.studentProperty().set(FineTuneForm.Student.FILE);
        assertThat(m.validate()).contains("Choose the student's DL4J zip");
        form.studentFileProperty().set(dir.resolve("nothing.zip").toString());
        assertThat(m.validate()).contains("does not exist");
        form.studentProperty().set(FineTuneForm.Student.RESNET8);
        form.distillProperty().set(false);
        assertThat(m.validate()).isNull();
        assertThat(form.parse(m.stepsPerEpoch()).settings().distillation()).isNotNull();
        assertThat(m.scheduleCurve()).isEmpty();
        var before = f.ws;
        assertThat(m.start()).isNull();
        ViewFixture.await(() -> m.stateProperty().get() == FineTuneModel.State.DONE
                || m.stateProperty().get() == FineTuneModel.State.FAILED);
        assertThat(f.failures).isEmpty();
        var o = m.outcomeProperty().get();
        assertThat(o.student()).isEqualTo("resnet8-student");
        assertThat(o.modelFile().getFileName().toString()).startsWith("tiny-resnet-student-resnet8-");
        assertThat(Files.readString(o.recordFile())).contains("\"student\" : \"resnet8\"");
        assertThat(o.sparsity()).isZero();
        assertThat(f.wb.workspace()).isSameAs(before);
        m.openResult();
        ViewFixture.await(() -> f.wb.workspace() != before && !f.wb.workspaces().loadingProperty().get());
        assertThat(f.wb.workspace().origin()).contains(o.modelFile().getFileName().toString());
        assertThat(f.wb.workspace().stats(f.wb.workspace().emptyPlan()).weightParams())
                .isNotEqualTo(before.stats(before.emptyPlan()).weightParams());
    }

    @Test
    void aCancelledRunContinuesFromItsCheckpointAndKeepsItsEpochs() throws Exception {
        FineTuneModel m = model();
        FineTuneForm form = m.form();
        form.epochsProperty().set("2");
        form.gradualProperty().set(false);
        form.qatProperty().set(false);
        assertThat(m.checkpointProperty().get()).isNull();
        m.epochs().addListener((javafx.collections.ListChangeListener<Object>) c -> {
            if (m.epochs().size() == 1 && m.stateProperty().get() == FineTuneModel.State.RUNNING) {
                m.cancel();
            }
        });
        assertThat(m.resumeFromCheckpoint()).contains("no checkpoint");
        assertThat(m.start()).isNull();
        ViewFixture.await(() -> m.stateProperty().get() == FineTuneModel.State.CANCELLED);
        int per = m.stepsPerEpoch();
        var saved = m.checkpointProperty().get();
        assertThat(saved).isNotNull();
        assertThat(saved.step()).isEqualTo(per);
        assertThat(saved.totalSteps()).isEqualTo(2L * per);
        assertThat(saved.history()).hasSize(1);
        form.epochsProperty().set("3");
        assertThat(m.checkpointProperty().get()).as("another budget is another run").isNull();
        form.epochsProperty().set("2");
        assertThat(m.checkpointProperty().get()).isNotNull();
        assertThat(m.resumeFromCheckpoint()).isNull();
        ViewFixture.await(() -> m.stateProperty().get() == FineTuneModel.State.DONE
                || m.stateProperty().get() == FineTuneModel.State.FAILED);
        assertThat(f.failures).isEmpty();
        var o = m.outcomeProperty().get();
        assertThat(o.resumedAtStep()).isEqualTo(per);
        assertThat(m.epochs()).extracting(r -> r.epoch()).containsExactly(1, 2);
        assertThat(m.losses()).hasSize(per);
        assertThat(m.checkpointProperty().get()).isNull();
        assertThat(saved.dir()).doesNotExist();
    }
}
