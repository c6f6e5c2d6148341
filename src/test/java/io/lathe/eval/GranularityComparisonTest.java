package io.lathe.eval;

import io.lathe.TinyResNet;
import io.lathe.compress.Granularity;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GranularityComparisonTest {
    @Test
    void channelSeriesRunsSmallerNetworksAndElementSeriesKeepsAllParameters() throws Exception {
        Engine.configure();
        LoadedModel m = ModelLoader.fromGraph("tiny",
                TinyResNet.of(1, 8, 16, 16).withInput(1, 12).withSeed(5).graph(), new int[]{1, 12, 12});
        LayerTree tree = LayerTree.of(m);
        Nd4j.getRandom().setSeed(1);
        int n = 40;
        int[] labels = new int[n];
        Random rnd = new Random(2);
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(3);
        }
        LabeledImages images = new LabeledImages("r", Nd4j.rand(new long[]{n, 1, 12, 12}).data().asFloat(), labels,
                1, 12, 12, 3, new String[]{"a", "b", "c"});
        GranularityComparison.Result r = GranularityComparison.run(m, tree, null, new double[]{0.5}, images, 3,
                Progress.none());
        assertThat(r.series()).extracting(GranularityComparison.Series::granularity)
                .containsExactly(Granularity.ELEMENT, Granularity.BLOCK, Granularity.CHANNEL);
        GranularityComparison.Point element = r.series().get(0).points().get(0);
        GranularityComparison.Point channel = r.series().get(2).points().get(0);
        assertThat(element.params()).isEqualTo(m.parameterCount());
        assertThat(element.weightSparsity()).isCloseTo(0.5, within(0.02));
        assertThat(channel.params()).isLessThan(m.parameterCount() / 2);
        assertThat(channel.batch64Ms()).isPositive();
        assertThat(element.top1()).isBetween(0.0, 1.0);
    }
}
