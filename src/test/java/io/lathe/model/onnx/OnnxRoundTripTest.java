package io.lathe.model.onnx;

import io.lathe.TinyResNet;
import io.lathe.engine.Engine;
import io.lathe.export.OnnxExporter;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OnnxRoundTripTest {
    private static final int[] CHW = {1, 12, 12};

    @TempDir
    Path dir;

    @Test
    void latheResNetExportedToOnnxImportsBackWithTheSamePredictions() throws Exception {
        Engine.configure();
        ComputationGraph g = TinyResNet.of(1, 4, 8).withInput(CHW[0], CHW[1]).withSeed(5)
                .withNorms(TinyResNet.Norms.WIDE).graph();
        LoadedModel original = ModelLoader.fromGraph("tiny", g, CHW);
        Path file = dir.resolve("tiny.onnx");
        Files.write(file, OnnxExporter.fp32(g, CHW, "test"));

        LoadedModel back = ModelLoader.load(file);

        int n = 32;
        float[] x = OrtReference.random(n, CHW, 3);
        float[] expected = OrtReference.dl4j(original, x, n);
        float[] got = OrtReference.dl4j(back, x, n);
        assertThat(OrtReference.argmax(got, 3)).containsExactly(OrtReference.argmax(expected, 3));
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).isCloseTo(expected[i], within(1e-5f));
        }
        LayerTree a = LayerTree.of(original);
        LayerTree b = LayerTree.of(back);
        for (LayerKind k : LayerKind.values()) {
            assertThat(b.layers().stream().filter(l -> l.kind() == k).count()).as(k.name())
                    .isEqualTo(a.layers().stream().filter(l -> l.kind() == k).count());
        }
        assertThat(b.totalParams()).isEqualTo(a.totalParams());
        assertThat(back.graph().getLayers()).filteredOn(l -> l.conf().getLayer() instanceof ConvolutionLayer)
                .allSatisfy(l -> assertThat(((ConvolutionLayer) l.conf().getLayer()).getConvolutionMode())
                        .isEqualTo(ConvolutionMode.Same));
    }
}
