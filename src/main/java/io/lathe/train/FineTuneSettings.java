package io.lathe.train;

import io.lathe.data.Augmentation;
import io.lathe.data.DataSplits;

import java.nio.file.Path;

/**
 * How to fine-tune: budget, optimizer, and which of masks-only, gradual pruning, QAT and distillation.
 *
 * @param epochs          passes over the train split
 * @param batch           batch size
 * @param learningRate    Adam's initial rate; ×0.3 at 50%, ×0.1 at 75%, ×0.03 at 90% of the steps
 * @param seed            shuffling and augmentation seed
 * @param qat             forward passes see the plan's quantized weights (straight-through estimator)
 * @param distillation    distil from the uncompressed model, or null
 * @param schedule        gradual (AGP) pruning toward the plan's targets, or null to prune at once
 * @param checkpointEvery steps between checkpoints (also at every epoch end); 0 = epoch ends only
 * @param checkpointDir   where checkpoints go, or null for none
 * @param resume          continue from the checkpoint in {@code checkpointDir} if there is one
 * @param limitTrain      use only the first N training images (0 = all), for quick checks
 * @param augmentation    how training batches are varied; null = none here, and the data's own
 *                        ({@link DataSplits#augmentation()}) where {@link #withDataDefault} is applied
 */
public record FineTuneSettings(int epochs, int batch, double learningRate, long seed, boolean qat,
                               Distillation distillation, AgpSchedule schedule, int checkpointEvery,
                               Path checkpointDir, boolean resume, int limitTrain,
                               Augmentation augmentation) {
    public FineTuneSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        if (checkpointEvery < 0 || limitTrain < 0) {
            throw new IllegalArgumentException("checkpoint interval and train limit must be >= 0");
        }
    }

    /** Defaults: 5 epochs, batch 128, Adam 5e-4, seed 42, masks only, no checkpoints. */
    public static FineTuneSettings defaults() {
        return new FineTuneSettings(5, 128, 5e-4, 42, false, null, null, 0, null, false, 0, null);
    }

    /** Steps per epoch for {@code trainImages}. */
    public int stepsPerEpoch(int trainImages) {
        int n = limitTrain > 0 ? Math.min(limitTrain, trainImages) : trainImages;
        return (n + batch - 1) / batch;
    }

    public FineTuneSettings withSchedule(AgpSchedule s) {
        return new FineTuneSettings(epochs, batch, learningRate, seed, qat, distillation, s, checkpointEvery,
                checkpointDir, resume, limitTrain, augmentation);
    }

    public FineTuneSettings withCheckpoints(Path dir, int every, boolean resumeRun) {
        return new FineTuneSettings(epochs, batch, learningRate, seed, qat, distillation, schedule, every, dir,
                resumeRun, limitTrain, augmentation);
    }

    public FineTuneSettings withQat(boolean q) {
        return new FineTuneSettings(epochs, batch, learningRate, seed, q, distillation, schedule, checkpointEvery,
                checkpointDir, resume, limitTrain, augmentation);
    }

    public FineTuneSettings withDistillation(Distillation d) {
        return new FineTuneSettings(epochs, batch, learningRate, seed, qat, d, schedule, checkpointEvery,
                checkpointDir, resume, limitTrain, augmentation);
    }

    public FineTuneSettings withBudget(int e, int b, double lr, int limit) {
        return new FineTuneSettings(e, b, lr, seed, qat, distillation, schedule, checkpointEvery, checkpointDir,
                resume, limit, augmentation);
    }

    public FineTuneSettings withAugmentation(Augmentation a) {
        return new FineTuneSettings(epochs, batch, learningRate, seed, qat, distillation, schedule, checkpointEvery,
                checkpointDir, resume, limitTrain, a);
    }

    /** These settings, with the data's own augmentation where none was chosen. */
    public FineTuneSettings withDataDefault(DataSplits data) {
        return augmentation != null ? this : withAugmentation(data.augmentation());
    }

    /** The augmentation to train with (none when unset). */
    public Augmentation augmentationOrNone() {
        return augmentation == null ? Augmentation.NONE : augmentation;
    }
}
