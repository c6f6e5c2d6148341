package io.lathe.structure;

import io.lathe.TinyResNet;
import io.lathe.compress.Svd;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LowRankTest {
    /** One block per stage, widths 8/16/16, 12×12 grey images, three classes, random BatchNorm statistics. */
    private static final TinyResNet NET = TinyResNet.of(1, 8, 16, 16).withInput(1, 12).withNorms(TinyResNet.Norms.RANDOM);

    private static LoadedModel model;
    private static LayerTree tree;

    @BeforeAll
    static void build() throws Exception {
        model = NET.withSeed(11).model("tiny");
        tree = LayerTree.of(model);
    }

    private static double maxDiff(ComputationGraph g, String vertex, INDArray x) {
        INDArray a = g.feedForward(x, false).get(vertex);
        INDArray b = model.graph().feedForward(x, false).get(vertex);
        assertThat(a.shape()).containsExactly(b.shape());
        return a.sub(b).amaxNumber().doubleValue();
    }

    @Test
    void svdReconstructsARandomMatrix() {
        Random rnd = new Random(1);
        double[][] a = new double[7][5];
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        Svd svd = Svd.of(a);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 5; j++) {
                double v = 0;
                for (int r = 0; r < 5; r++) {
                    v += svd.u()[r][i] * svd.s()[r] * svd.v()[r][j];
                }
                assertThat(v).isCloseTo(a[i][j], within(1e-10));
            }
        }
        assertThat(svd.s()[0]).isGreaterThanOrEqualTo(svd.s()[4]);
        assertThat(svd.energy()[4]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void spatialSvdAtFullRankReproducesAStridedConvolution() {
        LowRank.Spectrum s = LowRank.spectrum(model.graph(), tree.layer("stage2.block0.conv1"));
        assertThat(s.mode()).isEqualTo(io.lathe.compress.Factorization.Mode.SPATIAL);
        ComputationGraph g = LowRank.factorize(model, tree, Map.of("stage2.block0.conv1", s.fullRank()));
        assertThat(g.getLayer("stage2.block0.conv1.lowrank").getParam("W").shape())
                .containsExactly(s.fullRank(), 8, 3, 1);
        assertThat(maxDiff(g, "stage2.block0.conv1", NET.randomInput(4, 5))).isLessThan(1e-4);
        assertThat(maxDiff(g, "fc", NET.randomInput(4, 5))).isLessThan(1e-4);
    }

    @Test
    void channelAndDenseSvdAtFullRankReproduceTheLayers() {
        int shortcutRank = LowRank.spectrum(model.graph(), tree.layer("stage2.block0.shortcut.conv")).fullRank();
        int fcRank = LowRank.spectrum(model.graph(), tree.layer("fc")).fullRank();
        ComputationGraph g = LowRank.factorize(model, tree,
                Map.of("stage2.block0.shortcut.conv", shortcutRank, "fc", fcRank));
        INDArray x = NET.randomInput(4, 6);
        assertThat(maxDiff(g, "stage2.block0.shortcut.conv", x)).isLessThan(1e-4);
        assertThat(maxDiff(g, "fc", x)).isLessThan(1e-4);
    }

    @Test
    void truncatedRankChangesTheOutputAndSavesWeights() {
        LowRank.Spectrum s = LowRank.spectrum(model.graph(), tree.layer("stage3.block0.conv2"));
        int rank = Math.max(1, s.breakEvenRank() / 2);
        ComputationGraph g = LowRank.factorize(model, tree, Map.of("stage3.block0.conv2", rank));
        assertThat(g.numParams()).isLessThan(model.graph().numParams());
        assertThat(maxDiff(g, "stage3.block0.conv2", NET.randomInput(4, 7))).isGreaterThan(1e-4);
        assertThat(s.energy()[rank - 1]).isLessThan(1.0);
    }
}
