package io.lathe.train;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PlanJson;
import io.lathe.data.Batches;
import io.lathe.data.Fingerprints;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.eval.Predictor;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Fine-tunes a compressed copy of a model on the train split: masks kept after every update,
 * optional gradual (AGP) pruning toward the plan's targets, quantization-aware training and
 * distillation from a teacher. Validation accuracy of the exported weights is measured after every
 * epoch and picks the epoch kept; the test split is never seen here. Works on a copy: the loaded
 * model is unchanged whether the job succeeds, fails or is cancelled. Checkpoints let a crashed run
 * continue from its last step. Runs on the engine thread; {@link #pause()}, {@link #resume()} and
 * the job's cancellation may be called from any thread.
 */
public final class FineTuner implements Job<FineTuneResult> {
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);
    private final PlanApplier student;
    private final Plan plan;
    private final LoadedModel teacher;
    private final LabeledImages train;
    private final LabeledImages validation;
    private final FineTuneSettings settings;
    private final FineTuneListener listener;
    private volatile boolean paused;

    /**
     * @param student    applier over the model to fine-tune (its loaded graph is only copied)
     * @param plan       compression plan for the student (empty plan: plain fine-tuning)
     * @param teacher    the uncompressed model to distil from, or null (required when settings distil)
     * @param train      the train split (the only data fitted on)
     * @param validation the validation split (per-epoch accuracy, best-epoch choice)
     */
    public FineTuner(PlanApplier student, Plan plan, LoadedModel teacher, LabeledImages train,
                     LabeledImages validation, FineTuneSettings settings, FineTuneListener listener) {
        if (settings.distillation() != null && teacher == null) {
            throw new IllegalArgumentException("distillation needs a teacher model");
        }
        this.student = student;
        this.plan = plan;
        this.teacher = teacher;
        this.train = settings.limitTrain() > 0 ? train.limit(settings.limitTrain()) : train;
        this.validation = validation;
        this.settings = settings;
        this.listener = listener;
    }

    /** Holds the job before its next step until {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    /** Lets a paused job continue. */
    public void resume() {
        paused = false;
    }

    public boolean isPaused() {
        return paused;
    }

    /** Steps of the whole run. */
    public long totalSteps() {
        return (long) settings.stepsPerEpoch(train.size()) * settings.epochs();
    }

    @Override
    public FineTuneResult run(Progress progress) throws Exception {
        Engine.configure();
        long t0 = System.nanoTime();
        int n = train.size();
        int perEpoch = settings.stepsPerEpoch(n);
        long total = totalSteps();
        AgpSchedule schedule = settings.schedule();
        if (schedule != null && schedule.endStep() > total) {
            throw new IllegalArgumentException("the pruning schedule ends at step " + schedule.endStep()
                    + " but the run has only " + total + " steps; end it earlier or train longer");
        }
        Checkpoints cp = settings.checkpointDir() == null ? null : new Checkpoints(settings.checkpointDir());
        String runKey = runKey(n);
        WorkingNetwork w;
        long step = 0;
        int bestEpoch = -1;
        double bestVal = -1;
        ComputationGraph best = null;
        List<FineTuneListener.EpochRecord> history = new ArrayList<>();
        if (settings.resume() && cp != null && cp.exists()) {
            Checkpoints.Loaded loaded = cp.read();
            if (!runKey.equals(loaded.state().runKey())) {
                throw new IllegalArgumentException("the checkpoint in " + cp.dir() + " is from a different run (other "
                        + "model, plan, data or settings); delete it or run with the same options");
            }
            w = WorkingNetwork.resumed(loaded.net(), student, plan, settings);
            step = loaded.state().step();
            bestEpoch = loaded.state().bestEpoch();
            bestVal = loaded.state().bestValidation();
            history.addAll(loaded.state().history());
            best = loaded.best();
            LOG.info("resumed from {} at step {}", cp.dir(), step);
        } else {
            w = WorkingNetwork.fresh(student, plan, settings, total);
        }
        long resumedAt = step;
        if (schedule != null && schedule.isPruningStep(step)) {
            w.pruneAt(step, schedule);
        }
        TeacherLogits teacherLogits = w.distilling() ? new TeacherLogits(teacher.graph()) : null;
        ISchedule lr = WorkingNetwork.learningRates(settings.learningRate(), total);
        int[] order = null;
        int orderEpoch = -1;
        double lossSum = 0;
        int lossCount = 0;
        long epochStart = System.nanoTime();
        while (step < total) {
            waitWhilePaused(progress, step, total);
            progress.checkCancelled();
            int epoch = (int) (step / perEpoch);
            int inEpoch = (int) (step % perEpoch);
            if (orderEpoch != epoch) {
                order = order(n, settings.seed() * 1_000_003L + epoch);
                orderEpoch = epoch;
            }
            int from = inEpoch * settings.batch();
            int to = Math.min(n, from + settings.batch());
            Random rnd = new Random(settings.seed() * 0x9E3779B97F4A7C15L + step);
            INDArray x = Batches.augmented(train, order, from, to, settings.augmentationOrNone(), rnd);
            INDArray y = Batches.oneHot(train, order, from, to);
            INDArray labels = teacherLogits == null ? y : DistillationLoss.labels(y, teacherLogits.logits(x));
            w.net().fit(new DataSet(x, labels));
            step++;
            if (schedule != null && schedule.isPruningStep(step)) {
                w.pruneAt(step, schedule);
            }
            double loss = w.net().score();
            lossSum += loss;
            lossCount++;
            listener.stepDone(new FineTuneListener.StepUpdate(step, total, epoch + 1, loss, w.masks().sparsity(),
                    lr.valueAt((int) step - 1, epoch)));
            if (step % 10 == 0 || step == total) {
                progress.update((double) step / total, String.format("epoch %d/%d, step %d/%d, loss %.4f, sparsity %.1f%%",
                        epoch + 1, settings.epochs(), step, total, lossSum / lossCount, 100 * w.masks().sparsity()));
            }
            boolean epochEnd = step % perEpoch == 0;
            if (epochEnd) {
                ComputationGraph exported = w.export();
                double val = Predictor.accuracy(Predictor.predict(exported, validation, Predictor.DEFAULT_BATCH,
                        progress.range((double) step / total, (double) step / total)), validation);
                double sec = (System.nanoTime() - epochStart) / 1e9;
                var rec = new FineTuneListener.EpochRecord(epoch + 1, step, lossSum / Math.max(1, lossCount), val,
                        w.zeroFraction(exported), sec);
                history.add(rec);
                LOG.info(String.format("epoch %d: loss %.4f, validation top-1 %.4f, sparsity %.4f, %.0f s",
                        rec.epoch(), rec.trainLoss(), val, rec.sparsity(), sec));
                boolean eligible = schedule == null || step >= schedule.endStep();
                if (eligible && val > bestVal) {
                    bestVal = val;
                    bestEpoch = epoch + 1;
                    best = exported;
                    if (cp != null) {
                        cp.writeBest(exported);
                    }
                }
                listener.epochDone(rec);
                lossSum = 0;
                lossCount = 0;
                epochStart = System.nanoTime();
            }
            if (cp != null && (epochEnd || (settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0))) {
                cp.write(w.detachedClone(), new Checkpoints.State(Checkpoints.FORMAT, "checkpoint-" + step + ".zip",
                        step, total, runKey, bestEpoch, bestVal, history));
            }
        }
        if (best == null) {
            best = w.export();
            bestEpoch = settings.epochs();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        // The fine-tuned network's BatchNorm statistics are trained: its plan needs no calibration.
        return new FineTuneResult(best, plan.withBatchNormImages(0), List.copyOf(history), bestEpoch, bestVal,
                w.zeroFraction(best), step, resumedAt, wall);
    }

    private void waitWhilePaused(Progress progress, long step, long total) throws InterruptedException {
        boolean told = false;
        while (paused) {
            progress.checkCancelled();
            if (!told) {
                progress.update((double) step / total, "paused at step " + step);
                told = true;
            }
            Thread.sleep(50);
        }
    }

    /** What a checkpoint must match to be resumed: model, plan, data and every training setting. */
    private String runKey(int trainImages) {
        String text = student.model().sha256() + "|" + PlanJson.write(plan) + "|" + trainImages + "|"
                + settings.epochs() + "|" + settings.batch() + "|" + settings.learningRate() + "|" + settings.seed()
                + "|" + settings.qat() + "|" + settings.distillation() + "|" + settings.schedule() + "|"
                + (teacher == null ? "" : teacher.sha256());
        return HexFormat.of().formatHex(Fingerprints.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static int[] order(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
