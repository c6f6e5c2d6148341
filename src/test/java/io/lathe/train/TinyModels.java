package io.lathe.train;

import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.ResNetFactory;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Random;

/** Tiny residual graphs and a learnable synthetic image set for fast fine-tuning tests. */
final class TinyModels {
    static final int SIZE = 8;
    static final int CLASSES = 3;

    private TinyModels() {
    }

    /** A ResNet with one block per stage and widths 4/8/8 on 1×8×8 inputs, 3 classes. */
    static LoadedModel resnet(long seed) throws Exception {
        Engine.configure();
        return ModelLoader.fromGraph("tiny-" + seed, ResNetFactory.build(1, new int[]{4, 8, 8}, SIZE, SIZE, 1, CLASSES,
                seed, new Adam(1e-3), 1e-5), new int[]{1, SIZE, SIZE});
    }

    /** A smaller student: widths 2/4/4. */
    static LoadedModel smallResnet(long seed) throws Exception {
        Engine.configure();
        return ModelLoader.fromGraph("tiny-small-" + seed, ResNetFactory.build(1, new int[]{2, 4, 4}, SIZE, SIZE, 1,
                CLASSES, seed, new Adam(1e-3), 1e-5), new int[]{1, SIZE, SIZE});
    }

    static PlanApplier applier(LoadedModel m) {
        return new PlanApplier(m, LayerTree.of(m));
    }

    /** Images whose class is the brightest third (top, middle, bottom rows), plus noise. */
    static LabeledImages images(int n, long seed) {
        Random rnd = new Random(seed);
        float[] px = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(CLASSES);
            labels[i] = c;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    boolean lit = y * CLASSES / SIZE == c;
                    px[i * SIZE * SIZE + y * SIZE + x] = (lit ? 0.6f : 0.1f) + 0.3f * rnd.nextFloat();
                }
            }
        }
        return new LabeledImages("tiny", px, labels, 1, SIZE, SIZE, CLASSES, new String[]{"top", "middle", "bottom"});
    }
}
