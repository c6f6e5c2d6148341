package io.lathe.eval;

import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.ResNetFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Random;

/** Tiny residual networks and random images for fast engine tests. */
final class TinyModels {
    static final int SIZE = 12;
    static final int CLASSES = 10;

    private TinyModels() {
    }

    /** A 2-blocks-per-stage ResNet with widths 4/8/8 on 12×12 grey images, random weights and BN statistics. */
    static LoadedModel resnet(long seed) throws Exception {
        Engine.configure();
        ComputationGraph g = ResNetFactory.build(2, new int[]{4, 8, 8}, SIZE, SIZE, 1, CLASSES, seed, null, 0);
        Random r = new Random(seed);
        for (org.deeplearning4j.nn.api.Layer l : g.getLayers()) {
            INDArray mean = l.paramTable().get("mean");
            if (mean != null) {
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
        INDArray pooled = g.feedForward(io.lathe.data.Batches.features(images(256, seed), 0, 256), false).get("pool");
        INDArray w = g.getLayer("fc").getParam("W").muli(20);
        g.getLayer("fc").getParam("b").assign(pooled.mean(0).reshape(1, -1).mmul(w).negi());
        return ModelLoader.fromGraph("tiny", g, new int[]{1, SIZE, SIZE});
    }

    /** {@code n} random images with labels cycling through the classes in blocks (not interleaved). */
    static LabeledImages images(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * SIZE * SIZE];
        for (int i = 0; i < n; i++) {
            double fx = r.nextDouble() * 2;
            double fy = r.nextDouble() * 2;
            double level = r.nextDouble();
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double v = level * (0.5 + 0.5 * Math.sin(fx * x + fy * y)) + 0.2 * r.nextDouble();
                    px[i * SIZE * SIZE + y * SIZE + x] = (float) Math.min(1, v);
                }
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * CLASSES) / n;
        }
        String[] names = new String[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            names[c] = "class " + c;
        }
        return new LabeledImages("random", px, labels, 1, SIZE, SIZE, CLASSES, names);
    }

    /** Scales one layer's weights by a random factor per weight, so its outputs change a lot. */
    static void scramble(ComputationGraph g, String layer, long seed) {
        INDArray w = g.getLayer(layer).getParam("W");
        Random r = new Random(seed);
        for (long i = 0; i < w.length(); i++) {
            w.putScalar(i, w.getDouble(i) * (r.nextGaussian() * 2));
        }
    }
}
