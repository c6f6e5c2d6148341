package io.lathe.model.onnx;

import io.lathe.engine.Engine;
import io.lathe.export.OnnxExporter;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.ResNetFactory;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OnnxRoundTripTest {
    private static final int[] CHW = {1, 12, 12};

    @TempDir
    Path dir;

    @Test
    void latheResNetExportedToOnnxImportsBackWithTheSamePredictions() throws Exception {
        Engine.configure();
        ComputationGraph g = ResNetFactory.build(1, new int[]{4, 8}, CHW[1], CHW[2], CHW[0], 3, 5, null, 0);
        randomiseBatchNorm(g, 5);
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

    private static void randomiseBatchNorm(ComputationGraph g, long seed) {
        Random r = new Random(seed);
        for (GraphVertex v : g.getVertices()) {
            if (!v.hasLayer() || !v.getLayer().paramTable().containsKey("var")) {
                continue;
            }
            for (String k : new String[]{"gamma", "beta", "mean", "var"}) {
                INDArray p = v.getLayer().getParam(k);
                for (int i = 0; i < p.length(); i++) {
                    p.putScalar(i, switch (k) {
                        case "gamma" -> 0.5 + r.nextDouble();
                        case "var" -> 0.2 + 2 * r.nextDouble();
                        default -> r.nextGaussian() * 0.3;
                    });
                }
            }
        }
    }
}
