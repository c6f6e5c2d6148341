package io.lathe.export;

import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.ResNetFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Random;

/** Tiny residual networks and synthetic data for fast export tests. */
final class TinyModels {
    static final int[] CHW = {1, 12, 12};
    static final int CLASSES = 3;

    private TinyModels() {
    }

    /** A two-stage residual network with non-trivial BatchNorm statistics. */
    static LoadedModel resnet(long seed) throws Exception {
        Engine.configure();
        ComputationGraph g = ResNetFactory.build(1, new int[]{4, 8}, CHW[1], CHW[2], CHW[0], CLASSES, seed, null, 0);
        Random r = new Random(seed);
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
        return ModelLoader.fromGraph("tiny", g, CHW);
    }

    /** Random images in [0, 1] with random labels: train/validation/test of the given sizes. */
    static DataSplits data(int n, long seed) {
        return new DataSplits("synthetic", images("train", n, seed), images("validation", n, seed + 1),
                images("test", n, seed + 2));
    }

    static LabeledImages images(String name, int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * CHW[0] * CHW[1] * CHW[2]];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
        return new LabeledImages(name, px, labels, CHW[0], CHW[1], CHW[2], CLASSES, new String[]{"a", "b", "c"});
    }
}
