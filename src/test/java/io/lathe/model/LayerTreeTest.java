package io.lathe.model;

import io.lathe.TinyResNet;
import io.lathe.engine.Engine;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerTreeTest {
    private static LoadedModel model;
    private static LayerTree tree;

    @BeforeAll
    static void load() throws Exception {
        model = TinyResNet.of(2, 4, 8, 16).withSeed(3).model("tiny");
        tree = LayerTree.of(model);
    }

    @Test
    void treeHasStemThreeStagesOfTwoBlocksAndAHead() {
        List<TreeNode> top = tree.root().children();
        assertThat(top).extracting(TreeNode::label).first().isEqualTo("stem");
        assertThat(top.stream().filter(n -> n.label().startsWith("stage"))).hasSize(3);
        assertThat(top.get(top.size() - 1).label()).isEqualTo("head");
        for (TreeNode stage : top.subList(1, 4)) {
            assertThat(stage.children()).allMatch(c -> c.level() == TreeNode.Level.BLOCK).hasSize(2);
        }
        assertThat(tree.residual()).isTrue();
    }

    @Test
    void paramsAndMacsAddUpToTheModel() {
        assertThat(tree.totalParams()).isEqualTo(model.graph().numParams());
        LayerInfo conv = tree.layer("stage2.block0.conv1");
        assertThat(conv.macs()).isEqualTo(4L * 4 * 3 * 3 * 4 * 8);
        assertThat(conv.outHeight()).isEqualTo(4);
        assertThat(conv.prunable()).isTrue();
        assertThat(tree.layer("stage2.block0.bn1").prunable()).isFalse();
    }

    @Test
    void couplingGroupsTieLayersMeetingAtTheSameAdds() {
        assertThat(tree.couplingGroups()).hasSize(3);
        assertThat(tree.groupOf("stem.conv").members()).containsExactly("stem.conv", "stage1.block0.conv2",
                "stage1.block1.conv2");
        assertThat(tree.groupOf("stage2.block1.conv2").members()).containsExactlyInAnyOrder(
                "stage2.block0.shortcut.conv", "stage2.block0.conv2", "stage2.block1.conv2");
        assertThat(tree.groupOf("stage2.block0.conv1")).isNull();
    }

    @Test
    void blocksAndStagesAreFoundFromStructureNotNames() {
        assertThat(tree.blockOf("stage3.block1.conv1").children()).extracting(TreeNode::label)
                .contains("stage3.block1.conv1", "stage3.block1.add", "stage3.block1.relu2");
        assertThat(tree.stageOf("fc").label()).isEqualTo("head");
    }

    @Test
    void networkWithoutResidualStructureLoadsFlatWithANote(@TempDir Path dir) throws Exception {
        Engine.configure();
        var conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build();
        MultiLayerNetwork mln = new MultiLayerNetwork(conf);
        mln.init();
        Path zip = dir.resolve("plain.zip");
        ModelSerializer.writeModel(mln, zip.toFile(), false);
        LoadedModel m = ModelLoader.load(zip);
        assertThat(m.format()).isEqualTo("dl4j-multilayer");
        assertThat(m.notes()).anyMatch(n -> n.contains("No residual structure"));
        LayerTree t = LayerTree.of(m);
        assertThat(t.residual()).isFalse();
        assertThat(t.prunableLayers()).hasSize(3);
    }

    @Test
    void corruptAndForeignFilesGetClearErrors(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("broken.zip");
        Files.write(garbage, new byte[]{1, 2, 3, 4, 5});
        assertThatThrownBy(() -> ModelLoader.load(garbage)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("broken.zip").hasMessageContaining("not a readable zip");
        Path notModel = dir.resolve("other.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(notModel))) {
            out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            out.write("hello".getBytes());
        }
        assertThatThrownBy(() -> ModelLoader.load(notModel)).hasMessageContaining("not a DL4J model zip");
        assertThatThrownBy(() -> ModelLoader.load(dir.resolve("missing.zip"))).hasMessageContaining("file not found");
    }
}
