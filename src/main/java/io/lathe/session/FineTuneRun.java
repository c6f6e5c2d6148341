package io.lathe.session;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.structure.Factorized;
import io.lathe.compress.PlanJson;
import io.lathe.data.Fingerprints;
import io.lathe.eval.Evaluator;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.train.FineTuneListener;
import io.lathe.train.FineTuneRecord;
import io.lathe.train.FineTuneResult;
import io.lathe.train.FineTuneSettings;
import io.lathe.train.FineTuner;
import io.lathe.train.SavedCheckpoint;
import io.lathe.train.Students;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * One fine-tune of a workspace's model under a plan, as a pausable job for the workbench: trains on
 * the train split ({@link FineTuner}: masks kept, optional AGP schedule, QAT, distillation from the
 * unchanged model), measures the result and the unchanged model on the test split, and writes the
 * model, its plan and the JSON run record next to {@code out} (as the CLI {@code finetune} does).
 * With a student spec it trains that different network from the unchanged model instead (the CLI's
 * {@code --student}). Checkpoints go to a folder named after the run's settings ({@link #checkpointDir}),
 * so a crashed or cancelled run can continue; they are deleted once the outputs are written. The
 * loaded model is never changed. Plain Lathe types only.
 */
public final class FineTuneRun implements Job<FineTuneRun.Outcome> {
    /** Steps between checkpoints (also at every epoch end). */
    public static final int CHECKPOINT_EVERY = 200;
    private final Workspace ws;
    private final Path out;
    private final FineTuneSettings settings;
    private final Plan plan;
    private final String studentSpec;
    private final FineTuneListener listener;
    private final long totalSteps;
    private FineTuner tuner;
    private boolean paused;

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
     * @param student        name of the different network trained from the unchanged model, or null
     * @param resumedAtStep  the checkpoint step the run continued from (0 for a fresh run)
     */
    public record Outcome(Path modelFile, Path planFile, Path recordFile, double validationTop1, double testTop1,
                          double denseTestTop1, double sparsity, int bestEpoch, double wallSeconds,
                          Map<String, Object> record, String student, long resumedAtStep) {
    }

    /**
     * @param ws            the workspace (needs data)
     * @param plan          the plan to compress under (not used with a student)
     * @param settings      training settings (checkpoints are set by this class)
     * @param studentSpec   null to fine-tune the compressed model itself; "resnet8"/"resnet20" or a DL4J zip
     *                      to train that network from the unchanged model (settings must distil)
     * @param out           where the fine-tuned model zip goes
     * @param checkpoints   the checkpoint folder ({@link #checkpointDir})
     * @param resume        continue from the checkpoint in that folder (else any old one is discarded)
     * @param listener      live figures, on the engine thread
     */
    public FineTuneRun(Workspace ws, Plan plan, FineTuneSettings settings, String studentSpec, Path out,
                       Path checkpoints, boolean resume, FineTuneListener listener) {
        if (ws.data() == null) {
            throw new IllegalStateException(ws.dataProblem());
        }
        if (studentSpec != null && settings.distillation() == null) {
            throw new IllegalArgumentException("a different student learns from the unchanged model: turn distillation on");
        }
        this.ws = ws;
        this.out = out.toAbsolutePath();
        this.plan = plan;
        this.studentSpec = studentSpec;
        this.listener = listener;
        this.settings = settings.withDataDefault(ws.data()).withCheckpoints(checkpoints.toAbsolutePath(),
                Math.max(settings.checkpointEvery(), CHECKPOINT_EVERY), resume);
        this.totalSteps = (long) settings.stepsPerEpoch(ws.data().train().size()) * settings.epochs();
    }

    /** Training steps per epoch for a workspace's train split. */
    public static int stepsPerEpoch(Workspace ws, FineTuneSettings s) {
        return ws.data() == null ? 0 : s.stepsPerEpoch(ws.data().train().size());
    }

    /**
     * The checkpoint folder of a run: under {@code root}, named after the model and a fingerprint of
     * everything that must match for a resume (model, plan, student, data size, training settings).
     * Pure and quick: safe on the FX thread.
     */
    public static Path checkpointDir(Path root, Workspace ws, Plan plan, FineTuneSettings s, String studentSpec) {
        String key = ws.sha256() + "|" + (studentSpec == null ? PlanJson.write(plan) : "student " + studentSpec) + "|"
                + (ws.data() == null ? 0 : ws.data().train().size()) + "|" + s.epochs() + "|" + s.batch() + "|"
                + s.learningRate() + "|" + s.seed() + "|" + s.qat() + "|" + s.distillation() + "|" + s.schedule()
                + "|" + s.limitTrain();
        String hash = HexFormat.of().formatHex(Fingerprints.sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
        return root.resolve(ws.modelName().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + hash.substring(0, 16));
    }

    /** The checkpoint a run with these settings could continue from, if one was left behind. */
    public static Optional<SavedCheckpoint> checkpointIn(Path dir) {
        return SavedCheckpoint.find(dir);
    }

    /** Holds the run before its next step. */
    public synchronized void pause() {
        paused = true;
        if (tuner != null) {
            tuner.pause();
        }
    }

    /** Lets a paused run continue. */
    public synchronized void resume() {
        paused = false;
        if (tuner != null) {
            tuner.resume();
        }
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /** Steps of the whole run. */
    public long totalSteps() {
        return totalSteps;
    }

    @Override
    public Outcome run(Progress progress) throws Exception {
        if (!settings.resume()) {
            SavedCheckpoint.delete(settings.checkpointDir());
        }
        LoadedModel base = ws.model();
        // Distil from the model this one came from (before channel removal), if any.
        LoadedModel teacher = ws.teacher();
        LoadedModel studentModel = base;
        PlanApplier applier = ws.applier();
        Plan p = plan;
        if (studentSpec != null) {
            progress.update(0, "preparing the student " + studentSpec);
            studentModel = Students.load(studentSpec, teacher, settings.seed());
            applier = new PlanApplier(studentModel, LayerTree.of(studentModel));
            p = Plan.empty(studentModel.name(), studentModel.sha256());
        } else if (!plan.lowRankLayers().isEmpty()) {
            progress.update(0, "building the factorized layers");
            Factorized.Training tr = Factorized.forTraining(applier, plan);
            studentModel = tr.model();
            applier = tr.applier();
            p = tr.plan();
        }
        FineTuner t = new FineTuner(applier, p, settings.distillation() == null ? null : teacher,
                ws.data().train(), ws.data().validation(), settings, listener);
        synchronized (this) {
            tuner = t;
            if (paused) {
                t.pause();
            }
        }
        FineTuneResult r = t.run(progress.range(0, 0.9));
        progress.update(0.9, "measuring the fine-tuned model on the test split");
        double test = Evaluator.evaluate(r.model(), studentModel, ws.data().test(), progress.range(0.9, 0.95)).top1();
        progress.update(0.95, "measuring the unchanged model on the test split");
        double dense = Evaluator.evaluate(base.graph(), base, ws.data().test(), progress.range(0.95, 1)).top1();
        progress.checkCancelled();
        Map<String, Object> rec = FineTuneRecord.write(out, r, applier, base, ws.origin(), null, settings,
                test, dense, "workbench Fine-tune tab", studentSpec);
        SavedCheckpoint.delete(settings.checkpointDir());
        return new Outcome(out, FineTuneRecord.sibling(out, ".plan.json"), FineTuneRecord.sibling(out, ".json"),
                r.validationTop1(), test, dense, r.sparsity(), r.bestEpoch(), r.wallSeconds(), rec,
                studentSpec == null ? null : studentModel.name(), r.resumedAtStep());
    }

    /** The plan the run compresses under. */
    public Plan plan() {
        return plan;
    }
}
