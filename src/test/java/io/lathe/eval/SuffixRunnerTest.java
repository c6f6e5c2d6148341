package io.lathe.eval;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuffixRunnerTest {
    /** Two blocks per stage, 12×12 grey images, ten classes, random BatchNorm statistics, sharpened outputs. */
    private static final TinyResNet NET = TinyResNet.of(2, 4, 8, 8).withInput(1, 12).withClasses(10)
            .withNorms(TinyResNet.Norms.RANDOM).withSharpenedOutputs();

    private static LoadedModel model;
    private static LayerTree tree;
    private static LabeledImages images;

    @BeforeAll
    static void build() throws Exception {
        model = NET.withSeed(7).model("tiny");
        tree = LayerTree.of(model);
        images = TinyImages.waves(300, 12, 10, 3);
    }

    private static int[] full(ComputationGraph g) {
        return Predictor.predict(g, images, Predictor.DEFAULT_BATCH, Progress.none());
    }

    @Test
    void cutPointsAreTheStemAndBlockOutputsFoundFromStructure() {
        CutPoints cuts = CutPoints.of(model.graph());
        assertThat(cuts.all()).contains("input", "stem.relu", "stage1.block0.relu2", "stage2.block1.add",
                "stage3.block1.relu2", "pool");
        assertThat(cuts.all()).doesNotContain("stage1.block0.conv1", "stage1.block1.relu1", "stage2.block0.bn2", "fc");
        assertThat(cuts.latestBefore(cuts.all(), List.of("stage2.block1.conv2"))).isEqualTo("stage2.block0.relu2");
        assertThat(cuts.latestBefore(cuts.all(), List.of("stem.conv"))).isEqualTo("input");
    }

    @Test
    void suffixPredictionsEqualFullNetworkPredictionsForEveryChangedLayer() {
        SuffixRunner runner = new SuffixRunner(model, tree, images, 1L << 30);
        int[] original = full(model.graph());
        assertThat(java.util.Arrays.stream(original).distinct().count()).as("classes predicted").isGreaterThan(3);
        assertThat(runner.referencePredictions(Progress.none())).containsExactly(original);
        for (String layer : List.of("stem.conv", "stage1.block1.conv2", "stage2.block0.shortcut.conv",
                "stage3.block1.conv1", "fc")) {
            ComputationGraph modified = model.copyGraph();
            TinyResNet.scramble(modified, layer, layer.hashCode());
            int[] expected = full(modified);
            assertThat(java.util.Arrays.equals(expected, original)).as("the change matters").isFalse();
            assertThat(runner.predict(modified, layer, Progress.none())).as(layer).containsExactly(expected);
        }
        assertThat(runner.cachedCuts()).isNotEmpty();
    }

    @Test
    void predictionsStayEqualWhenTheBudgetFitsNoCut() {
        SuffixRunner runner = new SuffixRunner(model, tree, images, 0);
        ComputationGraph modified = model.copyGraph();
        TinyResNet.scramble(modified, "stage3.block0.conv2", 5);
        assertThat(runner.cachedCuts()).isEmpty();
        assertThat(runner.predict(modified, "stage3.block0.conv2", Progress.none())).containsExactly(full(modified));
    }

    @Test
    void aSmallBudgetKeepsOnlySomeCutsAndStaysExact() {
        long pool = 8L * 4 * images.size();
        SuffixRunner runner = new SuffixRunner(model, tree, images, pool + 8L * 6 * 6 * 4 * images.size());
        assertThat(runner.cachedCuts()).isNotEmpty();
        assertThat(runner.cacheBytes()).isLessThanOrEqualTo(pool + 8L * 6 * 6 * 4 * images.size());
        ComputationGraph modified = model.copyGraph();
        TinyResNet.scramble(modified, "stage1.block1.conv1", 9);
        TinyResNet.scramble(modified, "stage3.block1.conv2", 10);
        assertThat(runner.predict(modified, List.of("stage3.block1.conv2", "stage1.block1.conv1"), Progress.none()))
                .containsExactly(full(modified));
    }

    @Test
    void adoptingSuccessiveChangesStaysEqualToTheFullNetwork() {
        SuffixRunner runner = new SuffixRunner(model, tree, images, 1L << 30);
        ComputationGraph working = model.copyGraph();
        for (String layer : List.of("stage2.block1.conv1", "stage3.block0.conv2", "stage1.block0.conv2",
                "stage3.block1.conv1")) {
            TinyResNet.scramble(working, layer, layer.hashCode() + 1);
            int[] expected = full(working);
            assertThat(runner.predictAndAdopt(working, List.of(layer), null, Progress.none())).as(layer)
                    .containsExactly(expected);
            assertThat(runner.referencePredictions(Progress.none())).containsExactly(expected);
        }
    }

    @Test
    void aCancelledAdoptionLeavesTheRunnerExact() {
        SuffixRunner runner = new SuffixRunner(model, tree, images, 1L << 30);
        ComputationGraph working = model.copyGraph();
        TinyResNet.scramble(working, "stage1.block1.conv1", 4);
        CancelAfter cancel = new CancelAfter(2);
        try {
            runner.predictAndAdopt(working, List.of("stage1.block1.conv1"), null, cancel);
        } catch (io.lathe.job.CancelledException expected) {
            // the adoption stopped after some batches
        }
        assertThat(cancel.updates).isGreaterThanOrEqualTo(2);
        TinyResNet.scramble(working, "stage3.block0.conv1", 6);
        assertThat(runner.predictAndAdopt(working, List.of("stage3.block0.conv1"), null, Progress.none()))
                .containsExactly(full(working));
    }

    /** A progress that reports cancellation after a number of updates. */
    static final class CancelAfter implements Progress {
        private final int limit;
        int updates;

        CancelAfter(int limit) {
            this.limit = limit;
        }

        @Override
        public void update(double fraction, String message) {
            updates++;
        }

        @Override
        public boolean isCancelled() {
            return updates >= limit;
        }
    }
}
