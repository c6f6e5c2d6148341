package io.lathe.model.onnx;

import io.lathe.data.ImageFolderReader;
import io.lathe.data.LabeledImages;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.TreeNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The public PyTorch ResNet-20 (ONNX opset 9) from ../shared/models. */
class RealOnnxModelTest {
    private static final Path MODEL = Path.of("../shared/models/Amandashi95_onnc_resnet20_pytorch.onnx");
    private static final Path EXACT = Path.of("../shared/data/cifar10/test-exact-first1000");
    private static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};
    private static final float[] STD = {0.2470f, 0.2435f, 0.2616f};

    @Test
    void pytorchResNet20ImportsWithThreeStagesOfThreeBlocks() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(MODEL), "skipped: " + MODEL + " is not there");
        OnnxImporter.Imported in = OnnxImporter.load(MODEL);
        assertThat(in.check().maxLogitDiff()).isLessThan(1e-4);
        LoadedModel m = ModelLoader.load(MODEL);
        LayerTree tree = LayerTree.of(m);
        List<TreeNode> stages = tree.root().children().stream().filter(s -> s.label().startsWith("stage")).toList();
        assertThat(stages).hasSize(3);
        assertThat(stages).allSatisfy(s -> assertThat(s.children()).hasSize(3)
                .allMatch(b -> b.level() == TreeNode.Level.BLOCK));
        assertThat(tree.layer("ResBlock2.0.downsample.0")).isNotNull();
        assertThat(tree.couplingGroups()).hasSize(3);
    }

    @Test
    void convertedResNet20PredictsLikeOnnxRuntimeOnCifar10() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(MODEL) && Files.isDirectory(EXACT),
                "skipped: " + MODEL + " or " + EXACT + " is not there");
        LoadedModel m = ModelLoader.load(MODEL);
        LabeledImages raw = ImageFolderReader.read(EXACT, 3, 32, 32, "exact");
        int n = raw.size();
        float[] x = raw.pixels().clone();
        int plane = 32 * 32;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    int k = i * 3 * plane + c * plane + p;
                    x[k] = (x[k] - MEAN[c]) / STD[c];
                }
            }
        }
        int[] ort = OrtReference.argmax(OrtReference.ort(MODEL, x, n, m.inputShape()), 10);
        int[] dl4j = new int[n];
        for (int from = 0; from < n; from += 100) {
            int to = Math.min(n, from + 100);
            float[] part = java.util.Arrays.copyOfRange(x, from * 3 * plane, to * 3 * plane);
            System.arraycopy(OrtReference.argmax(OrtReference.dl4j(m, part, to - from), 10), 0, dl4j, from, to - from);
        }
        int agree = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            agree += ort[i] == dl4j[i] ? 1 : 0;
            correct += dl4j[i] == raw.label(i) ? 1 : 0;
        }
        System.out.printf("ResNet-20 ONNX on %d exact CIFAR-10 test images: DL4J agrees with ORT on %d, accuracy %.2f%%%n",
                n, agree, 100.0 * correct / n);
        assertThat(n).isEqualTo(1000);
        assertThat(agree).isGreaterThanOrEqualTo(999);
        assertThat(100.0 * correct / n).isBetween(91.0, 93.2);
    }
}
