package io.lathe.train;

/**
 * Receives live figures from a running fine-tune, for charts. Called on the engine thread: a UI
 * hands them to its own thread (and should coalesce step updates). Implementations must be quick.
 */
public interface FineTuneListener {
    /** After every training step. */
    default void stepDone(StepUpdate update) {
    }

    /** After every epoch, with the validation accuracy of the compressed (exported) weights. */
    default void epochDone(EpochRecord record) {
    }

    /** A listener that ignores everything. */
    static FineTuneListener none() {
        return new FineTuneListener() {
        };
    }

    /**
     * One training step.
     *
     * @param step         steps done so far (1-based, continues across a resume)
     * @param totalSteps   steps of the whole run
     * @param epoch        the epoch the step belongs to (1-based)
     * @param loss         the training loss of the batch (distillation loss when distilling, plus L2)
     * @param sparsity     masked fraction of all prunable weights now
     * @param learningRate the learning rate used
     */
    record StepUpdate(long step, long totalSteps, int epoch, double loss, double sparsity, double learningRate) {
    }

    /**
     * One finished epoch.
     *
     * @param epoch          1-based
     * @param step           steps done at its end
     * @param trainLoss      mean training loss over the epoch's steps run in this session
     * @param validationTop1 top-1 of the exported (masked, quantized) weights on the validation split
     * @param sparsity       zero fraction of the exported prunable weights
     * @param seconds        wall time of the epoch in this session
     */
    record EpochRecord(int epoch, long step, double trainLoss, double validationTop1, double sparsity,
                       double seconds) {
    }
}
