package io.lathe.session;

import io.lathe.compress.Plan;
import io.lathe.eval.Evaluator;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.train.FineTuneListener;
import io.lathe.train.FineTuneRecord;
import io.lathe.train.FineTuneResult;
import io.lathe.train.FineTuneSettings;
import io.lathe.train.FineTuner;

import java.nio.file.Path;
import java.util.Map;

/**
 * One fine-tune of a workspace's model under a plan, as a pausable job for the workbench: trains on
 * the train split ({@link FineTuner}: masks kept, optional AGP schedule, QAT, distillation from the
 * unchanged model), measures the result and the unchanged model on the test split, and writes the
 * model, its plan and the JSON run record next to {@code out} (as the CLI {@code finetune} does).
 * Checkpoints go beside {@code out}, so a crashed run started again with the same settings continues.
 * The loaded model is never changed. Plain Lathe types only.
 */
public final class FineTuneRun implements Job<FineTuneRun.Outcome> {
    private final Workspace ws;
    private final Path out;
    private final FineTuner tuner;
    private final FineTuneSettings settings;
    private final Plan plan;

    /**
     * What a finished fine-tune wrote and measured.
     *
     * @param modelFile      the fine-tuned model (DL4J zip)
     * @param planFile       its plan ({@code .plan.json})
     * @param recordFile     the run record ({@code .json})
     * @param validationTop1 validation top-1 of the epoch kept
     * @param testTop1       test top-1 of the fine-tuned model
     * @param denseTestTop1  test top-1 of the unchanged model
     * @param sparsity       zero fraction of the prunable weights
     * @param bestEpoch      the epoch kept
     * @param wallSeconds    wall time of the training
     * @param record         the run record as written
     */
    public record Outcome(Path modelFile, Path planFile, Path recordFile, double validationTop1, double testTop1,
                          double denseTestTop1, double sparsity, int bestEpoch, double wallSeconds,
                          Map<String, Object> record) {
    }

    /**
     * @param ws       the workspace (needs data)
     * @param plan     the plan to compress under
     * @param settings training settings (checkpoints are set beside {@code out})
     * @param out      where the fine-tuned model zip goes
     * @param listener live figures, on the engine thread
     */
    public FineTuneRun(Workspace ws, Plan plan, FineTuneSettings settings, Path out, FineTuneListener listener) {
        if (ws.data() == null) {
            throw new IllegalStateException(ws.dataProblem());
        }
        this.ws = ws;
        this.out = out.toAbsolutePath();
        this.plan = plan;
        this.settings = settings.withCheckpoints(FineTuneRecord.checkpointDir(this.out),
                Math.max(settings.checkpointEvery(), 200), true);
        this.tuner = new FineTuner(ws.applier(), plan, this.settings.distillation() == null ? null : ws.model(),
                ws.data().train(), ws.data().validation(), this.settings, listener);
    }

    /** Training steps per epoch for a workspace's train split. */
    public static int stepsPerEpoch(Workspace ws, FineTuneSettings s) {
        return ws.data() == null ? 0 : s.stepsPerEpoch(ws.data().train().size());
    }

    /** Holds the run before its next step. */
    public void pause() {
        tuner.pause();
    }

    /** Lets a paused run continue. */
    public void resume() {
        tuner.resume();
    }

    public boolean isPaused() {
        return tuner.isPaused();
    }

    /** Steps of the whole run. */
    public long totalSteps() {
        return tuner.totalSteps();
    }

    @Override
    public Outcome run(Progress progress) throws Exception {
        FineTuneResult r = tuner.run(progress.range(0, 0.9));
        progress.update(0.9, "measuring the fine-tuned model on the test split");
        var studentModel = ws.model();
        double test = Evaluator.evaluate(r.model(), studentModel, ws.data().test(), progress.range(0.9, 0.95)).top1();
        progress.update(0.95, "measuring the unchanged model on the test split");
        double dense = Evaluator.evaluate(studentModel.graph(), studentModel, ws.data().test(),
                progress.range(0.95, 1)).top1();
        progress.checkCancelled();
        Map<String, Object> rec = FineTuneRecord.write(out, r, ws.applier(), studentModel, ws.origin(), null, settings,
                test, dense, "workbench Fine-tune tab", null);
        return new Outcome(out, FineTuneRecord.sibling(out, ".plan.json"), FineTuneRecord.sibling(out, ".json"),
                r.validationTop1(), test, dense, r.sparsity(), r.bestEpoch(), r.wallSeconds(), rec);
    }

    /** The plan the run compresses under. */
    public Plan plan() {
        return plan;
    }
}
