package io.lathe.model;

import io.lathe.TinyResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FiniteWeightsTest {
    @TempDir
    Path dir;

    private static ComputationGraph tiny() {
        return TinyResNet.of(1, 4, 4, 4).withSeed(7).graph();
    }

    @Test
    void aModelWithANaNWeightIsRefusedNamingItsLayer() throws Exception {
        ComputationGraph g = tiny();
        g.getLayer("stage2.block0.conv1").getParam("W").putScalar(3, Float.NaN);
        Path zip = dir.resolve("nan.zip");
        ModelSerializer.writeModel(g, zip.toFile(), false);
        assertThatThrownBy(() -> ModelLoader.load(zip))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("'stage2.block0.conv1'").hasMessageContaining("1 NaN or infinite");
    }

    @Test
    void anInfiniteWeightIsRefusedToo() throws Exception {
        ComputationGraph g = tiny();
        g.getLayer("fc").getParam("W").putScalar(0, Float.POSITIVE_INFINITY);
        assertThatThrownBy(() -> ModelLoader.fromGraph("inf", g, new int[]{1, 8, 8}))
                .hasMessageContaining("'fc'");
    }

    @Test
    void finiteWeightsLoad() {
        assertThatCode(() -> ModelLoader.fromGraph("ok", tiny(), new int[]{1, 8, 8})).doesNotThrowAnyException();
    }
}
