package io.lathe.model.onnx;

import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoadException;
import io.lathe.model.ModelLoader;
import io.lathe.model.TreeNode;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxImporterTest {
    @TempDir
    Path dir;

    static Stream<TinyOnnx.Variant> variants() {
        return Stream.of(
                TinyOnnx.Variant.of("opset 9, batch 1, initializers as inputs", 9).withBatchOne().withInitsAsInputs(),
                TinyOnnx.Variant.of("opset 13", 13),
                TinyOnnx.Variant.of("opset 17", 17),
                TinyOnnx.Variant.of("BN folded into conv bias", 13).withFolded(),
                TinyOnnx.Variant.of("Gemm alpha, beta, transB=0, broadcast bias", 13).withHead(TinyOnnx.Head.GEMM_SCALED),
                TinyOnnx.Variant.of("Flatten of a feature map into Gemm", 13).withHead(TinyOnnx.Head.FLATTEN_MAP),
                TinyOnnx.Variant.of("ReduceMean head opset 13", 13).withHead(TinyOnnx.Head.REDUCE_MEAN),
                TinyOnnx.Variant.of("ReduceMean head opset 18", 18).withHead(TinyOnnx.Head.REDUCE_MEAN),
                TinyOnnx.Variant.of("MatMul+Add head", 13).withHead(TinyOnnx.Head.MATMUL_ADD),
                TinyOnnx.Variant.of("Shape-Gather-Concat-Reshape head opset 9", 9).withHead(TinyOnnx.Head.RESHAPE_SHAPE),
                TinyOnnx.Variant.of("Shape-Gather-Concat-Reshape head opset 13", 13).withHead(TinyOnnx.Head.RESHAPE_SHAPE),
                TinyOnnx.Variant.of("constant Reshape head", 11).withHead(TinyOnnx.Head.RESHAPE_CONST),
                TinyOnnx.Variant.of("Pad op opset 9", 9).withPadOp(),
                TinyOnnx.Variant.of("Pad op opset 13", 13).withPadOp(),
                TinyOnnx.Variant.of("MaxPool stem", 13).withMaxPoolStem(),
                TinyOnnx.Variant.of("AveragePool stem", 13).withAvgPoolStem(),
                TinyOnnx.Variant.of("asymmetric pads", 13).withAsymmetricPads(),
                TinyOnnx.Variant.of("external data", 13).withExternal(),
                TinyOnnx.Variant.of("conv bias and BN", 13).withBiasAndBn(),
                TinyOnnx.Variant.of("opset 18 symbolic batch", 18),
                TinyOnnx.Variant.of("opset 10 Pad, shape head", 10).withPadOp().withHead(TinyOnnx.Head.RESHAPE_SHAPE),
                TinyOnnx.Variant.of("opset 12 Pad, shape head", 12).withPadOp().withHead(TinyOnnx.Head.RESHAPE_SHAPE),
                TinyOnnx.Variant.of("opset 14 Pad, shape head", 14).withPadOp().withHead(TinyOnnx.Head.RESHAPE_SHAPE),
                TinyOnnx.Variant.of("opset 15 Pad, shape head", 15).withPadOp().withHead(TinyOnnx.Head.RESHAPE_SHAPE),
                TinyOnnx.Variant.of("opset 16 Pad, MaxPool", 16).withPadOp().withMaxPoolStem());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void importedNetworkAgreesWithOnnxRuntime(TinyOnnx.Variant v) throws Exception {
        Path file = TinyOnnx.write(v, dir, 7);
        LoadedModel m = ModelLoader.load(file);

        assertThat(m.format()).isEqualTo("onnx");
        assertThat(m.inputShape()).containsExactly(TinyOnnx.CHW);
        assertThat(m.notes()).anySatisfy(n -> assertThat(n).startsWith("Checked against ONNX Runtime"));
        OnnxImporter.Imported again = OnnxImporter.load(file);
        assertThat(again.check().maxLogitDiff()).isLessThan(1e-4);
        assertThat(again.check().sameTopClass()).isEqualTo(again.check().inputs());

        int n = 24;
        float[] x = OrtReference.random(n, TinyOnnx.CHW, 99);
        float[] ort = OrtReference.ort(file, x, n, TinyOnnx.CHW);
        float[] probs = OrtReference.dl4j(m, x, n);
        assertThat(OrtReference.argmax(probs, TinyOnnx.CLASSES)).containsExactly(OrtReference.argmax(ort, TinyOnnx.CLASSES));
        float[] ortProbs = OrtCheck.softmax(ort, TinyOnnx.CLASSES);
        for (int i = 0; i < probs.length; i++) {
            assertThat(probs[i]).isCloseTo(ortProbs[i], org.assertj.core.data.Offset.offset(1e-4f));
        }

        LayerTree tree = LayerTree.of(m);
        assertThat(tree.residual()).isTrue();
        List<TreeNode> blocks = tree.root().children().stream().flatMap(s -> s.children().stream())
                .filter(c -> c.level() == TreeNode.Level.BLOCK).toList();
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0).layers()).extracting(l -> l.name()).contains("layer1.0.conv1", "layer1.0.conv2",
                "layer1.0.downsample.0");
        assertThat(tree.layer("fc").kind()).isEqualTo(LayerKind.OUTPUT);
    }

    @Test
    void asymmetricPadsBecomeAZeroPaddingLayerAndSamePadsSameMode() throws Exception {
        LoadedModel m = ModelLoader.load(TinyOnnx.write(TinyOnnx.Variant.of("asym", 13).withAsymmetricPads(), dir, 3));
        assertThat(m.graph().getLayer("stem.conv.pad").conf().getLayer()).isInstanceOf(ZeroPaddingLayer.class);
        var conv1 = (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) m.graph().getLayer("layer1.0.conv1").conf().getLayer();
        assertThat(conv1.getConvolutionMode()).isEqualTo(org.deeplearning4j.nn.conf.ConvolutionMode.Same);
    }

    @Test
    void foldedBnKeepsTheConvolutionBias() throws Exception {
        LoadedModel m = ModelLoader.load(TinyOnnx.write(TinyOnnx.Variant.of("folded", 13).withFolded(), dir, 3));
        LayerTree tree = LayerTree.of(m);
        assertThat(tree.layers()).noneMatch(l -> l.kind() == LayerKind.BATCH_NORM);
        assertThat(m.graph().getLayer("stem.conv").paramTable()).containsKey("b");
    }

    @Test
    void checkAgainstOnnxRuntimeFailsWhenAWeightIsOff() throws Exception {
        Path file = TinyOnnx.write(TinyOnnx.Variant.of("off", 13), dir, 3);
        NodeTranslator.Result tr = new NodeTranslator(OnnxFile.read(file)).translate();
        assertThat(OrtCheck.run(file, tr).agrees()).isTrue();
        tr.graph().getLayer("layer1.0.conv2").getParam("W").muli(1.01);
        OrtCheck.Result off = OrtCheck.run(file, tr);
        assertThat(off.agrees()).isFalse();
        assertThat(off.describe()).contains("max |Δ| = ");
    }

    @Test
    void checkAgainstOnnxRuntimeNeverPassesOnNonFiniteOutputs() throws Exception {
        Path file = TinyOnnx.write(TinyOnnx.Variant.of("inf", 13), dir, 3);
        NodeTranslator.Result tr = new NodeTranslator(OnnxFile.read(file)).translate();
        tr.graph().getLayer("fc").getParam("W").muli(Double.POSITIVE_INFINITY);
        OrtCheck.Result r = OrtCheck.run(file, tr);
        assertThat(r.agrees()).isFalse();
        assertThat(r.dl4jNonFinite()).isPositive();
        assertThat(r.describe()).contains("not finite");
    }

    @Test
    void symbolicImageSizeIsRefused() throws Exception {
        Path file = TinyOnnx.write(TinyOnnx.Variant.of("sym", 13), dir, 3);
        onnx.Onnx.ModelProto mp = onnx.Onnx.ModelProto.parseFrom(Files.readAllBytes(file));
        var g = mp.getGraph().toBuilder();
        var in = g.getInput(0).toBuilder();
        in.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2).clearDimValue().setDimParam("height");
        g.setInput(0, in);
        Files.write(file, mp.toBuilder().setGraph(g).build().toByteArray());
        assertThatThrownBy(() -> ModelLoader.load(file)).hasMessageContaining("dimension 2 is 'height'");
    }

    @Test
    void unsupportedOpIsRefusedNamingOpAndNode() throws Exception {
        Path good = TinyOnnx.write(TinyOnnx.Variant.of("sig", 13), dir, 3);
        Path bad = TinyOnnx.replaceOp(good, "Relu", "Sigmoid");
        assertThatThrownBy(() -> ModelLoader.load(bad))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("unsupported ONNX op 'Sigmoid' at node 'Relu_2'")
                .hasMessageContaining("Lathe imports Conv, BatchNormalization");
    }

    @Test
    void groupedConvolutionIsRefused() throws Exception {
        Path good = TinyOnnx.write(TinyOnnx.Variant.of("grp", 13), dir, 3);
        Path bad = TinyOnnx.replaceOp(good, "Relu", "Relu");
        onnx.Onnx.ModelProto mp = onnx.Onnx.ModelProto.parseFrom(Files.readAllBytes(bad));
        var g = mp.getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder().clearAttribute().addAttribute(TinyOnnx.integer("group", 3))
                .addAttribute(TinyOnnx.ints("pads", 1, 1, 1, 1)));
        Files.write(bad, mp.toBuilder().setGraph(g).build().toByteArray());
        assertThatThrownBy(() -> ModelLoader.load(bad)).hasMessageContaining("grouped convolution (group=3)")
                .hasMessageContaining("Conv_0");
    }

    @Test
    void ceilModePoolingThatChangesTheOutputSizeIsRefused() throws Exception {
        Path file = TinyOnnx.write(TinyOnnx.Variant.of("ceil", 13).withMaxPoolStem(), dir, 3);
        onnx.Onnx.ModelProto mp = onnx.Onnx.ModelProto.parseFrom(Files.readAllBytes(file));
        var g = mp.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getOpType().equals("MaxPool")) {
                g.setNode(i, g.getNode(i).toBuilder().clearAttribute().addAttribute(TinyOnnx.ints("kernel_shape", 3, 3))
                        .addAttribute(TinyOnnx.ints("strides", 2, 2)).addAttribute(TinyOnnx.integer("ceil_mode", 1)));
            }
        }
        Files.write(file, mp.toBuilder().setGraph(g).build().toByteArray());
        assertThatThrownBy(() -> ModelLoader.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("(MaxPool): ceil_mode=1 changes the output size here ([4, 4] instead of [3, 3])");
    }

    @Test
    void missingExternalDataFileIsNamed() throws Exception {
        Path file = TinyOnnx.write(TinyOnnx.Variant.of("ext", 13).withExternal(), dir, 3);
        Files.delete(dir.resolve("ext.weights"));
        assertThatThrownBy(() -> ModelLoader.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("external data file 'ext.weights'");
    }

    @Test
    void onnxContentIsRecognisedWithoutTheExtension() throws Exception {
        Path file = TinyOnnx.write(TinyOnnx.Variant.of("noext", 13), dir, 3);
        Path renamed = Files.move(file, dir.resolve("model.bin"));
        assertThat(ModelLoader.load(renamed).format()).isEqualTo("onnx");
    }
}
