package io.lathe.session;

import io.lathe.TinyResNet;
import io.lathe.data.Batches;
import io.lathe.data.DataSplits;
import io.lathe.data.FashionMnist;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Test fixtures: a tiny ResNet (1 block per stage, 4/8/8 channels, ten outputs) on 28×28 grey images
 * (random brightness and gradient plus noise, so pooled features differ between images) labelled by
 * the dense network itself. Training is too slow for unit tests on a busy 2-core
 * machine; with self-labelled data the dense model scores 100% and any real change of the network
 * shows up as lost accuracy. Built once per JVM.
 */
public final class TinyModels {
    /** Outputs of the network: ten, as idx label files give ten class names. */
    public static final int OUTPUTS = 10;
    public static final int TRAIN = 400;
    public static final int TEST = 100;
    /** The network: one block per stage, widths 4/8/8, 28×28 grey images, ten outputs. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8, 8).withInput(1, 28).withClasses(OUTPUTS).withSeed(42);
    private static ComputationGraph graph;
    private static LabeledImages trainSet;
    private static LabeledImages testSet;

    private TinyModels() {
    }

    /** The tiny network (a fresh copy each call). */
    public static synchronized ComputationGraph graph() {
        if (graph == null) {
            graph = NET.graph();
            centreOutputs(images(TRAIN, 1, "train"));
            trainSet = labelled(TRAIN, 1, "train");
            testSet = labelled(TEST, 2, "test");
        }
        return graph.clone();
    }

    /**
     * An untrained network scores every image nearly alike; shifting the output bias by the mean
     * log-probability of each class makes its decisions depend on the image.
     */
    private static void centreOutputs(LabeledImages images) {
        INDArray logp = Transforms.log(graph.outputSingle(Batches.features(images, 0, images.size())), false);
        INDArray b = graph.getLayer("fc").getParam("b");
        b.subi(logp.mean(0).reshape(b.shape()));
    }

    private static LabeledImages labelled(int n, long seed, String name) {
        return labelled(images(n, seed, name));
    }

    private static LabeledImages labelled(LabeledImages unlabelled) {
        int[] labels = Predictor.predict(graph, unlabelled, 100, Progress.none());
        return new LabeledImages(unlabelled.name(), unlabelled.pixels(), labels, 1, 28, 28, OUTPUTS,
                FashionMnist.CLASS_NAMES.clone());
    }

    private static LabeledImages images(int n, long seed, String name) {
        Random rnd = new Random(seed);
        float[] px = new float[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            double a = rnd.nextDouble();
            double bx = 2 * rnd.nextDouble() - 1;
            double by = 2 * rnd.nextDouble() - 1;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double v = a + bx * (x - 13.5) / 28 + by * (y - 13.5) / 28 + 0.1 * rnd.nextGaussian();
                    px[i * 784 + y * 28 + x] = (int) Math.round(255 * Math.max(0, Math.min(1, v))) / 255f;
                }
            }
        }
        return new LabeledImages(name, px, new int[n], 1, 28, 28, OUTPUTS, FashionMnist.CLASS_NAMES.clone());
    }

    /** The tiny model as a loaded model. */
    public static LoadedModel model() throws Exception {
        return ModelLoader.fromGraph("tiny-resnet", graph(), new int[]{1, 28, 28});
    }

    /** Train/validation/test splits (validation = last 10% of train, as for idx folders this small). */
    public static DataSplits data() {
        graph();
        return DataSplits.of("synthetic", trainSet, testSet, TRAIN / 10);
    }

    /** Saves the tiny model as a DL4J zip. */
    public static Path saveZip(Path folder) throws IOException {
        Path zip = folder.resolve("tiny-resnet.zip");
        ModelSerializer.writeModel(graph(), zip.toFile(), false);
        return zip;
    }

    /** Writes the data as the four idx files MNIST readers expect (pixels are exact bytes already). */
    public static Path writeIdx(Path folder) throws IOException {
        Files.createDirectories(folder);
        graph();
        writeSet(folder, "train", trainSet);
        writeSet(folder, "t10k", testSet);
        return folder;
    }

    private static void writeSet(Path folder, String prefix, LabeledImages set) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(folder.resolve(prefix + "-images-idx3-ubyte")))) {
            out.writeInt(2051);
            out.writeInt(set.size());
            out.writeInt(28);
            out.writeInt(28);
            for (float v : set.pixels()) {
                out.writeByte(Math.round(v * 255));
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(folder.resolve(prefix + "-labels-idx1-ubyte")))) {
            out.writeInt(2049);
            out.writeInt(set.size());
            for (int i = 0; i < set.size(); i++) {
                out.writeByte(set.label(i));
            }
        }
    }

    /**
     * Saves an untrained ResNet with one block per stage, the given widths and input, and {@link #OUTPUTS}
     * outputs, as {@code name}.zip in {@code folder} (another model for the same or other images).
     */
    public static Path saveOther(Path folder, String name, int[] widths, int channels, int size) throws IOException {
        return TinyResNet.of(1, widths).withInput(channels, size).withClasses(OUTPUTS).withSeed(7).saveZip(folder, name);
    }

    /** A narrower network than the tiny model (widths 2/4/4) for the same 1×28×28 images. */
    public static Path saveSmaller(Path folder) throws IOException {
        return saveOther(folder, "tiny-small", new int[]{2, 4, 4}, 1, 28);
    }
}
