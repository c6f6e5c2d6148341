package io.lathe.ui.views;

import io.lathe.job.Progress;
import io.lathe.session.TinyModels;
import io.lathe.session.Workspace;
import io.lathe.ui.finetune.FineTuneForm;
import io.lathe.ui.finetune.FineTuneModel;
import io.lathe.worker.FineTuneLanes;
import io.lathe.worker.InProcessLane;
import io.lathe.worker.WorkerException;
import io.lathe.worker.WorkerLane;
import io.lathe.worker.WorkerLauncher;
import io.lathe.worker.WorkerLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Fine-tune tab's model driving a real worker process: a worker killed mid-run, then Continue. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FineTuneWorkerModelTest extends ViewModelTest {
    private FineTuneModel model() throws Exception {
        Path zip = TinyModels.saveZip(dir);
        Path data = TinyModels.writeIdx(dir.resolve("data"));
        Workspace ws = Workspace.open(zip, data, null, null, sha -> Optional.empty(), Progress.none());
        f = new ViewFixture(dir, ws);
        f.pruneUniformly(0.5);
        WorkerLauncher launcher = new WorkerLauncher(WorkerLimits.forMachine(4L << 30),
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), true);
        FineTuneLanes lanes = new FineTuneLanes(new InProcessLane(f.runner),
                new WorkerLane(launcher, f.runner, dir.resolve("out/workers"), Duration.ofSeconds(5)));
        return new FineTuneModel(f.wb, Runnable::run, dir.resolve("out"), lanes);
    }

    /** The test JVM's worker children: their crash-log option names this test's folder (the class path comes too late in a long command line to be seen). */
    private List<ProcessHandle> workers() {
        String mark = "-XX:ErrorFile=" + dir.resolve("out/workers");
        return ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("").contains(mark))
                .toList();
    }

    @Test
    void aWorkerKilledMidRunLeavesTheRunFailedWithItsCauseAndContinueFinishesIt() throws Exception {
        FineTuneModel m = model();
        FineTuneForm form = m.form();
        form.epochsProperty().set("5");
        form.gradualProperty().set(false);
        form.qatProperty().set(false);
        var plan = f.wb.editor().plan();
        int per = m.stepsPerEpoch();
        assertThat(m.start()).isNull();
        assertThat(m.statusProperty().get()).contains("in a worker process");
        // Two lanes: the window's engine thread evaluates the plan while the worker trains.
        var exact = f.runner.submit("Evaluate", p -> f.ws.evaluate(plan, io.lathe.data.Split.VALIDATION, p), e -> { },
                t -> { }).result().get(30, TimeUnit.SECONDS);
        assertThat(exact.images()).isPositive();
        assertThat(m.stateProperty().get()).as("the fine-tune still runs").isEqualTo(FineTuneModel.State.RUNNING);
        // Epoch 1's checkpoint is written before epoch 2's first step.
        ViewFixture.await(() -> m.losses().size() > per || m.stateProperty().get() != FineTuneModel.State.RUNNING);
        assertThat(m.stateProperty().get()).isEqualTo(FineTuneModel.State.RUNNING);
        List<ProcessHandle> children = workers();
        assertThat(children).hasSize(1);
        assertThat(children.get(0).destroyForcibly()).isTrue();

        ViewFixture.await(() -> m.stateProperty().get() != FineTuneModel.State.RUNNING);
        assertThat(m.stateProperty().get()).isEqualTo(FineTuneModel.State.FAILED);
        assertThat(m.statusProperty().get()).contains("the worker process died: killed by signal 9 (SIGKILL)")
                .contains("the window and its plan are unchanged").contains("Continue picks up from the checkpoint");
        assertThat(m.workerLogProperty().get()).contains("worker: exited with code 137");
        assertThat(f.failures).singleElement().isInstanceOfSatisfying(WorkerException.class,
                e -> assertThat(e.died()).isTrue());
        assertThat(f.wb.editor().plan()).isSameAs(plan);
        assertThat(f.wb.workspace()).isSameAs(f.ws);
        assertThat(m.checkpointProperty().get()).isNotNull();
        assertThat(m.checkpointProperty().get().step()).isGreaterThanOrEqualTo(per);

        assertThat(m.resumeFromCheckpoint()).isNull();
        ViewFixture.await(() -> m.stateProperty().get() == FineTuneModel.State.DONE
                || m.stateProperty().get() == FineTuneModel.State.FAILED);
        assertThat(m.stateProperty().get()).as(m.statusProperty().get()).isEqualTo(FineTuneModel.State.DONE);
        var o = m.outcomeProperty().get();
        assertThat(o.resumedAtStep()).isGreaterThanOrEqualTo(per);
        assertThat(o.modelFile()).exists();
        assertThat(m.epochs()).extracting(r -> r.epoch()).containsExactly(1, 2, 3, 4, 5);
        assertThat(m.workerLogProperty().get()).isEmpty();
        assertThat(workers()).isEmpty();
    }
}
