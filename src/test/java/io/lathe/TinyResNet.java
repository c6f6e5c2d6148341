package io.lathe;

import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoadException;
import io.lathe.model.ModelLoader;
import io.lathe.model.ResNetFactory;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * The tiny residual networks engine tests run on (seconds, not minutes): a ResNet built in code by
 * {@link ResNetFactory} (stem, basic blocks with BatchNorm and residual adds, global pooling, "fc"),
 * described by this record and varied with its {@code with…} methods. Start from {@link #of}.
 *
 * @param blocks       basic blocks per stage
 * @param widths       channels of each stage
 * @param channels     input channels
 * @param size         input height and width
 * @param classes      outputs
 * @param seed         weight initialisation seed (and of the random BatchNorm statistics)
 * @param l2           L2 regularisation, for tests that train
 * @param norms        how BatchNorm statistics and scales are set
 * @param sharpened    whether the classifier is sharpened (see {@link #withSharpenedOutputs()})
 */
public record TinyResNet(int blocks, int[] widths, int channels, int size, int classes, long seed, double l2,
                         Norms norms, boolean sharpened) {
    /** How the BatchNorm layers' statistics and scales are set after initialisation. */
    public enum Norms {
        /** As DL4J initialises them: mean 0, variance 1, gamma 1, beta 0. */
        FRESH,
        /** Random and mild: mean and beta N(0, 0.1²), variance and gamma uniform in [0.5, 1.5). */
        RANDOM,
        /**
         * Random and wide, for folding and export: variance in [0.2, 2.2), mean and beta N(0, 0.3²), gamma
         * in [0.5, 1.5) or, for about half of the channels, in (0.2, 0.5].
         */
        WIDE
    }

    /** A network with {@code blocks} basic blocks per stage and the given stage widths, on 8×8×1 inputs, 3 classes. */
    public static TinyResNet of(int blocks, int... widths) {
        return new TinyResNet(blocks, widths.clone(), 1, 8, 3, 0, 0, Norms.FRESH, false);
    }

    /** The same network on {@code channels}×{@code size}×{@code size} inputs. */
    public TinyResNet withInput(int channels, int size) {
        return new TinyResNet(blocks, widths, channels, size, classes, seed, l2, norms, sharpened);
    }

    public TinyResNet withClasses(int n) {
        return new TinyResNet(blocks, widths, channels, size, n, seed, l2, norms, sharpened);
    }

    public TinyResNet withSeed(long s) {
        return new TinyResNet(blocks, widths, channels, size, classes, s, l2, norms, sharpened);
    }

    public TinyResNet withL2(double l) {
        return new TinyResNet(blocks, widths, channels, size, classes, seed, l, norms, sharpened);
    }

    public TinyResNet withNorms(Norms n) {
        return new TinyResNet(blocks, widths, channels, size, classes, seed, l2, n, sharpened);
    }

    /**
     * The same network with its classifier's weights scaled by 20 and its bias set so the mean logit over
     * 256 {@link TinyImages#waves wave images} of the network's seed is zero: an untrained network then
     * gives different images different classes.
     */
    public TinyResNet withSharpenedOutputs() {
        return new TinyResNet(blocks, widths, channels, size, classes, seed, l2, norms, true);
    }

    /** {channels, size, size}. */
    public int[] inputShape() {
        return new int[]{channels, size, size};
    }

    /** Builds the network (a new one each call; the same weights for the same record). */
    public ComputationGraph graph() {
        Engine.configure();
        ComputationGraph g = ResNetFactory.build(blocks, widths, size, size, channels, classes, seed, null, l2);
        switch (norms) {
            case RANDOM -> randomNorms(g, new Random(seed));
            case WIDE -> wideNorms(g, new Random(seed));
            case FRESH -> { }
        }
        if (sharpened) {
            LabeledImages images = TinyImages.waves(256, size, classes, seed);
            INDArray pooled = g.feedForward(Batches.features(images, 0, images.size()), false).get("pool");
            INDArray w = g.getLayer("fc").getParam("W").muli(20);
            g.getLayer("fc").getParam("b").assign(pooled.mean(0).reshape(1, -1).mmul(w).negi());
        }
        return g;
    }

    /** The network as a loaded model named {@code name}. */
    public LoadedModel model(String name) throws ModelLoadException {
        return ModelLoader.fromGraph(name, graph(), inputShape());
    }

    /** Saves the network as {@code name}.zip in {@code folder} (a DL4J zip without updater state). */
    public Path saveZip(Path folder, String name) throws IOException {
        Path zip = folder.resolve(name + ".zip");
        ModelSerializer.writeModel(graph(), zip.toFile(), false);
        return zip;
    }

    /** {@code n} inputs for this network, uniform in [0, 1), as one array. */
    public INDArray randomInput(int n, long inputSeed) {
        Nd4j.getRandom().setSeed(inputSeed);
        return Nd4j.rand(new long[]{n, channels, size, size});
    }

    /** Scales one layer's weights by a random factor per weight, so its outputs change a lot. */
    public static void scramble(ComputationGraph g, String layer, long seed) {
        INDArray w = g.getLayer(layer).getParam("W");
        Random r = new Random(seed);
        for (long i = 0; i < w.length(); i++) {
            w.putScalar(i, w.getDouble(i) * (r.nextGaussian() * 2));
        }
    }

    private static void randomNorms(ComputationGraph g, Random r) {
        for (Layer l : g.getLayers()) {
            INDArray mean = l.paramTable().get("mean");
            if (mean == null) {
                continue;
            }
            for (long i = 0; i < mean.length(); i++) {
                mean.putScalar(i, r.nextGaussian() * 0.1);
                double var = 0.5 + r.nextDouble();
                INDArray v = l.paramTable().get("var");
                if (v != null) {
                    v.putScalar(i, var);
                } else {
                    l.paramTable().get("log10stdev").putScalar(i, Math.log10(Math.sqrt(var)));
                }
                l.paramTable().get("gamma").putScalar(i, 0.5 + r.nextDouble());
                l.paramTable().get("beta").putScalar(i, r.nextGaussian() * 0.1);
            }
        }
    }

    private static void wideNorms(ComputationGraph g, Random r) {
        for (GraphVertex v : g.getVertices()) {
            if (!v.hasLayer() || !v.getLayer().paramTable().containsKey("var")) {
                continue;
            }
            for (String k : new String[]{"gamma", "beta", "mean", "var"}) {
                INDArray p = v.getLayer().getParam(k);
                for (int i = 0; i < p.length(); i++) {
                    double x = switch (k) {
                        case "gamma" -> 0.5 + r.nextDouble() * (r.nextBoolean() ? 1 : -0.3);
                        case "var" -> 0.2 + 2 * r.nextDouble();
                        default -> r.nextGaussian() * 0.3;
                    };
                    p.putScalar(i, x);
                }
            }
        }
    }
}
