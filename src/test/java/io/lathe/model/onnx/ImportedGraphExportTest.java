package io.lathe.model.onnx;

import io.lathe.data.LabeledImages;
import io.lathe.export.ActivationCalibrator;
import io.lathe.export.BatchNormFolding;
import io.lathe.export.OnnxExporter;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Lathe's exports of imported graphs (pooling, zero padding, convolution biases) run like the DL4J graph. */
class ImportedGraphExportTest {
    @TempDir
    Path dir;

    static Stream<TinyOnnx.Variant> variants() {
        return Stream.of(
                TinyOnnx.Variant.of("MaxPool stem", 13).withMaxPoolStem(),
                TinyOnnx.Variant.of("AveragePool stem", 13).withAvgPoolStem(),
                TinyOnnx.Variant.of("Pad op", 13).withPadOp(),
                TinyOnnx.Variant.of("asymmetric pads", 13).withAsymmetricPads(),
                TinyOnnx.Variant.of("conv bias and BN", 13).withBiasAndBn());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void exportedOnnxOfAnImportedGraphMatchesDl4j(TinyOnnx.Variant v) throws Exception {
        LoadedModel m = ModelLoader.load(TinyOnnx.write(v, dir, 11));
        for (boolean folded : new boolean[]{false, true}) {
            var graph = folded ? BatchNormFolding.fold(m.graph(), Map.of()).graph() : m.graph();
            Path out = dir.resolve("export-" + folded + ".onnx");
            Files.write(out, OnnxExporter.fp32(graph, m.inputShape(), "test"));
            int n = 16;
            float[] x = OrtReference.random(n, m.inputShape(), 5);
            float[] ort = OrtReference.ort(out, x, n, m.inputShape());
            float[] dl4j = OrtReference.dl4j(m, x, n);
            assertThat(ort).hasSameSizeAs(dl4j);
            for (int i = 0; i < dl4j.length; i++) {
                assertThat(ort[i]).as("folded=" + folded + " value " + i).isCloseTo(dl4j[i], within(1e-4f));
            }
        }
    }

    @Test
    void foldingBatchNormKeepsTheConvolutionsOwnBias() throws Exception {
        LoadedModel m = ModelLoader.load(TinyOnnx.write(TinyOnnx.Variant.of("bias+bn", 13).withBiasAndBn(), dir, 4));
        assertThat(m.graph().getLayer("stem.conv").paramTable()).containsKey("b");
        var folded = BatchNormFolding.fold(m.graph(), Map.of());
        assertThat(folded.foldedBn()).containsKey("stem.conv");
        int n = 16;
        float[] x = OrtReference.random(n, m.inputShape(), 6);
        float[] a = OrtReference.dl4j(m, x, n);
        float[] b = folded.graph().outputSingle(false, org.nd4j.linalg.factory.Nd4j.create(x,
                new long[]{n, m.inputShape()[0], m.inputShape()[1], m.inputShape()[2]}, 'c')).dup('c').data().asFloat();
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).isCloseTo(a[i], within(1e-5f));
        }
    }

    @Test
    void int8ExportOfAnImportedGraphWithPoolingAndPaddingRunsInOnnxRuntime() throws Exception {
        TinyOnnx.Variant v = TinyOnnx.Variant.of("int8", 13).withPadOp().withMaxPoolStem().withAvgPoolStem();
        LoadedModel m = ModelLoader.load(TinyOnnx.write(v, dir, 12));
        var folded = BatchNormFolding.fold(m.graph(), Map.of());
        int[] chw = m.inputShape();
        int n = 64;
        float[] x = OrtReference.random(n, chw, 8);
        LabeledImages images = new LabeledImages("calibration", x, new int[n], chw[0], chw[1], chw[2], TinyOnnx.CLASSES,
                new String[]{"a", "b", "c", "d", "e"});
        Map<String, float[]> ranges = ActivationCalibrator.ranges(folded.graph(), chw, images, 16, Progress.none());
        Path out = dir.resolve("int8.onnx");
        Files.write(out, OnnxExporter.int8(folded.graph(), chw, new OnnxExporter.Int8(ranges, folded.codings()), "test"));
        int[] ort = OrtReference.argmax(OrtReference.ort(out, x, n, chw), TinyOnnx.CLASSES);
        int[] dl4j = OrtReference.argmax(OrtReference.dl4j(m, x, n), TinyOnnx.CLASSES);
        int same = 0;
        for (int i = 0; i < n; i++) {
            same += ort[i] == dl4j[i] ? 1 : 0;
        }
        assertThat(same).isGreaterThanOrEqualTo(n * 8 / 10);
    }
}
