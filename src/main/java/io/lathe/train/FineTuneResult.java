package io.lathe.train;

import io.lathe.compress.Plan;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

/**
 * What a fine-tune produced.
 *
 * @param model          the best epoch's exported network (masked, quantized under the plan), a new copy
 * @param plan           the plan it was compressed under
 * @param history        one record per epoch
 * @param bestEpoch      the epoch kept (best validation among those after the pruning schedule ended)
 * @param validationTop1 its validation top-1
 * @param sparsity       zero fraction of its prunable weights
 * @param steps          steps done in all (including before a resume)
 * @param resumedAtStep  the checkpoint step this session started from (0 for a fresh run)
 * @param wallSeconds    wall time of this session
 */
public record FineTuneResult(ComputationGraph model, Plan plan, List<FineTuneListener.EpochRecord> history,
                             int bestEpoch, double validationTop1, double sparsity, long steps, long resumedAtStep,
                             double wallSeconds) {
}
