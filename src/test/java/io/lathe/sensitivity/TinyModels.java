package io.lathe.sensitivity;

import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.ResNetFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Random;

/** A tiny residual network and a small image set for fast sweep tests. */
final class TinyModels {
    static final int SIZE = 12;

    private TinyModels() {
    }

    static LoadedModel resnet() throws Exception {
        Engine.configure();
        ComputationGraph g = ResNetFactory.build(1, new int[]{4, 8, 8}, SIZE, SIZE, 1, 4, 7, null, 0);
        return ModelLoader.fromGraph("tiny", g, new int[]{1, SIZE, SIZE});
    }

    /** Images whose label is the brightest quadrant, so even a random network gets some right. */
    static LabeledImages images(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int q = r.nextInt(4);
            labels[i] = q;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int quad = (y < SIZE / 2 ? 0 : 2) + (x < SIZE / 2 ? 0 : 1);
                    px[i * SIZE * SIZE + y * SIZE + x] = r.nextFloat() * 0.5f + (quad == q ? 0.5f : 0f);
                }
            }
        }
        return new LabeledImages("tiny", px, labels, 1, SIZE, SIZE, 4, new String[]{"a", "b", "c", "d"});
    }
}
