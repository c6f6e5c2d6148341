package io.lathe.model.keras;

import io.lathe.engine.Engine;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.TreeNode;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The two public tf.keras ResNets from ../shared, opened through Lathe's canonical Keras path. */
class SharedKerasModelsTest {
    @TempDir
    Path dir;

    private static LoadedModel open(Path file) throws Exception {
        assumeTrue(Files.isRegularFile(file), "shared model missing, test skipped: " + file.toAbsolutePath());
        Engine.configure();
        return ModelLoader.load(file);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bhartiansh_resnet20_cifar10_baseline.h5", "mlcommons_tiny_resnet8_cifar10.h5"})
    void canonicalGraphComputesWhatDl4jsKerasImportComputes(String file) throws Exception {
        Path path = Path.of("../shared/models", file);
        LoadedModel m = open(path);
        ComputationGraph imported = KerasModelImport.importKerasModelAndWeights(path.toString(), false);
        ImportCheck.Difference d = ImportCheck.measure(imported, m.graph(), m.inputShape(), false);
        assertThat(d.output()).isLessThan(ImportCheck.OUTPUT_TOLERANCE);
        assertThat(d.activations()).isLessThan(ImportCheck.ACTIVATION_TOLERANCE);
        assertThat(m.notes()).anyMatch(n -> n.contains("checked against the Keras import: max |Δ| = "));
    }

    @ParameterizedTest(name = "{0}: {1} stages x {2} blocks")
    @CsvSource({"bhartiansh_resnet20_cifar10_baseline.h5, 3, 3", "mlcommons_tiny_resnet8_cifar10.h5, 3, 1"})
    void isChannelsFirstWithStagesBlocksAndAnOutputLayerWithALoss(String file, int stages, int blocks) throws Exception {
        LoadedModel m = open(Path.of("../shared/models", file));
        assertThat(m.channelsLast()).isFalse();
        assertThat(m.inputShape()).containsExactly(3, 32, 32);
        LayerTree tree = LayerTree.of(m);
        List<TreeNode> stageNodes = tree.root().children().stream().filter(n -> n.label().startsWith("stage")).toList();
        assertThat(stageNodes).hasSize(stages);
        assertThat(stageNodes).allSatisfy(s -> assertThat(s.children())
                .filteredOn(c -> c.level() == TreeNode.Level.BLOCK).hasSize(blocks));
        assertThat(m.graph().getOutputLayer(0).conf().getLayer()).isInstanceOf(BaseOutputLayer.class);
        assertThat(((BaseOutputLayer) m.graph().getOutputLayer(0).conf().getLayer()).getLossFn()).isNotNull();
        assertThat(m.graph().getConfiguration().getVertices().values()).noneMatch(v -> v instanceof PreprocessorVertex);
    }

    /** ResNet-20 (tf.keras 2.10) has the top_level_model_weights group that DL4J's own JSON + weights import trips on. */
    @ParameterizedTest(name = "{0}: --model {1} with {2} beside it")
    @CsvSource({"mlcommons_tiny_resnet8_cifar10.h5, arch.json, arch.h5",
            "mlcommons_tiny_resnet8_cifar10.h5, arch.h5, arch.h5",
            "bhartiansh_resnet20_cifar10_baseline.h5, arch.json, arch.weights.h5",
            "bhartiansh_resnet20_cifar10_baseline.h5, arch.weights.h5, arch.weights.h5"})
    void opensTheArchitectureJsonAndWeightsOnlyPairFromEitherHalf(String model, String given, String weightsName)
            throws Exception {
        Path full = Path.of("../shared/models", model);
        LoadedModel whole = open(full);
        KerasFixtures.writeArchitectureJson(full, dir.resolve("arch.json"));
        KerasFixtures.writeWeightsOnly(full, dir.resolve(weightsName));
        LoadedModel split = ModelLoader.load(dir.resolve(given));
        assertThat(split.channelsLast()).isFalse();
        assertThat(split.graph().params()).isEqualTo(whole.graph().params());
        assertThat(split.notes()).anyMatch(n -> n.contains("Architecture from arch.json, weights from " + weightsName));
        assertThat(split.name()).isEqualTo("arch");
        assertThat(split.sha256()).isEqualTo(ModelLoader.sha256(dir.resolve(weightsName)));
    }
}
