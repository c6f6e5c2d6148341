package io.lathe;

import io.lathe.engine.Engine;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.ModelLoadException;
import io.lathe.model.ResNetFactory;
import io.lathe.data.LabeledImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Random;

/** Small residual networks and data sets built in code, so engine tests run in seconds. */
public final class TinyModels {
    private TinyModels() {
    }

    /** A 2-blocks-per-stage ResNet with widths 4/8/16 on 8×8×1 inputs, 3 classes. */
    public static LoadedModel tinyResNet(long seed) throws ModelLoadException {
        Engine.configure();
        ComputationGraph g = ResNetFactory.build(2, new int[]{4, 8, 16}, 8, 8, 1, 3, seed, new Adam(1e-3), 0);
        return ModelLoader.fromGraph("tiny", g, new int[]{1, 8, 8});
    }

    /** Random 8×8×1 images with labels 0..2. */
    public static LabeledImages tinyImages(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * 64];
        int[] lb = new int[n];
        for (int i = 0; i < n; i++) {
            lb[i] = r.nextInt(3);
            for (int j = 0; j < 64; j++) {
                px[i * 64 + j] = r.nextFloat() * (0.5f + 0.25f * lb[i]);
            }
        }
        return new LabeledImages("tiny", px, lb, 1, 8, 8, 3, new String[]{"a", "b", "c"});
    }
}
