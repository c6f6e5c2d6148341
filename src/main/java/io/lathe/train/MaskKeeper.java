package io.lathe.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Re-applies the pruning masks after every parameter update (DL4J calls {@code iterationDone} after
 * the update), so masked weights are exactly zero whenever the network computes. Masking gradients
 * alone would not do: Adam's moments keep moving masked weights.
 */
final class MaskKeeper extends BaseTrainingListener {
    private final MaskSet masks;

    MaskKeeper(MaskSet masks) {
        this.masks = masks;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        masks.apply((ComputationGraph) model);
    }
}
