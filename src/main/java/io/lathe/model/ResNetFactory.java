package io.lathe.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Locale;

/**
 * Builds the CIFAR-style ResNets Lathe ships as samples: a 3×3 stem, three stages of basic blocks
 * (two 3×3 convolutions with BN, identity shortcut or a 1×1 projection where the shape changes),
 * global average pooling and a softmax classifier. ResNet-20 has 3 blocks per stage, ResNet-8 one.
 */
public final class ResNetFactory {
    private ResNetFactory() {
    }

    /** The sample architectures. */
    public enum Arch {
        RESNET20(3), RESNET8(1);

        private final int blocksPerStage;

        Arch(int blocksPerStage) {
            this.blocksPerStage = blocksPerStage;
        }

        public int blocksPerStage() {
            return blocksPerStage;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Arch parse(String s) {
            for (Arch a : values()) {
                if (a.key().equalsIgnoreCase(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown architecture '" + s + "': use resnet20 or resnet8");
        }
    }

    /** Builds and initialises a ResNet for {@code channels×height×width} inputs. */
    public static ComputationGraph build(Arch arch, int height, int width, int channels, int classes,
                                         long seed, IUpdater updater, double l2) {
        return build(arch.blocksPerStage(), new int[]{16, 32, 64}, height, width, channels, classes, seed, updater, l2);
    }

    /**
     * Builds a ResNet with {@code blocksPerStage} basic blocks per stage and the given stage widths
     * (also used by tests with tiny widths).
     */
    public static ComputationGraph build(int blocksPerStage, int[] widths, int height, int width, int channels,
                                         int classes, long seed, IUpdater updater, double l2) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater == null ? new Adam(1e-3) : updater)
                .weightInit(WeightInit.RELU)
                .l2(l2)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(height, width, channels));
        g.addLayer("stem.conv", conv(widths[0], 3, 1), "input");
        g.addLayer("stem.bn", new BatchNormalization.Builder().build(), "stem.conv");
        g.addLayer("stem.relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "stem.bn");
        String prev = "stem.relu";
        int inWidth = widths[0];
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < blocksPerStage; b++) {
                String p = "stage" + (s + 1) + ".block" + b + ".";
                int stride = (s > 0 && b == 0) ? 2 : 1;
                int out = widths[s];
                g.addLayer(p + "conv1", conv(out, 3, stride), prev);
                g.addLayer(p + "bn1", new BatchNormalization.Builder().build(), p + "conv1");
                g.addLayer(p + "relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), p + "bn1");
                g.addLayer(p + "conv2", conv(out, 3, 1), p + "relu1");
                g.addLayer(p + "bn2", new BatchNormalization.Builder().build(), p + "conv2");
                String shortcut = prev;
                if (stride != 1 || inWidth != out) {
                    g.addLayer(p + "shortcut.conv", conv(out, 1, stride), prev);
                    g.addLayer(p + "shortcut.bn", new BatchNormalization.Builder().build(), p + "shortcut.conv");
                    shortcut = p + "shortcut.bn";
                }
                g.addVertex(p + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), p + "bn2", shortcut);
                g.addLayer(p + "relu2", new ActivationLayer.Builder().activation(Activation.RELU).build(), p + "add");
                prev = p + "relu2";
                inWidth = out;
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev);
        g.addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "pool");
        g.setOutputs("fc");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static ConvolutionLayer conv(int out, int k, int stride) {
        return new ConvolutionLayer.Builder(k, k).stride(stride, stride).nOut(out).hasBias(false)
                .activation(Activation.IDENTITY).build();
    }
}
