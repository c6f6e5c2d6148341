package io.lathe.sensitivity;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.CompressedLayer;
import io.lathe.compress.Granularity;
import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SweepEnginesTest {
    /** One block per stage, 12×12 grey images, four classes (the brightest quadrant). */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8, 8).withInput(1, 12).withClasses(4).withSeed(7);

    private static PlanApplier applier;
    private static LabeledImages images;

    @BeforeAll
    static void setUp() throws Exception {
        LoadedModel m = NET.model("tiny");
        applier = new PlanApplier(m, LayerTree.of(m));
        images = TinyImages.brightestQuadrant(90, 12, 3);
    }

    private static List<CompressedLayer> variants(String layer) {
        List<CompressedLayer> v = new ArrayList<>();
        for (double s : new double[]{0, 0.3, 0.7, 0.95}) {
            v.add(Variants.pruned(applier, layer, Granularity.ELEMENT, "1x4", s));
        }
        v.add(Variants.pruned(applier, layer, Granularity.CHANNEL, "1x4", 0.5));
        v.add(Variants.quantized(applier, layer, 2));
        return v;
    }

    private static List<int[]> predictions(SweepEngine engine, String layer) {
        List<int[]> out = new ArrayList<>();
        engine.run(layer, variants(layer), (v, p) -> out.add(p.clone()), Progress.none());
        return out;
    }

    @Test
    void suffixEngineGivesTheNaivePredictionsForEveryLayerAndVariant() {
        SweepEngine naive = new NaiveSweepEngine(applier, images, 32);
        SweepEngine fast = new SuffixSweepEngine(applier, images, 32, Long.MAX_VALUE);
        assertThat(fast.baseline(Progress.none())).isEqualTo(naive.baseline(Progress.none()));
        int changed = 0;
        for (LayerInfo l : applier.tree().prunableLayers()) {
            List<int[]> a = predictions(naive, l.name());
            List<int[]> b = predictions(fast, l.name());
            assertThat(b).as(l.name()).hasSameSizeAs(a);
            for (int v = 0; v < a.size(); v++) {
                assertThat(b.get(v)).as(l.name() + " variant " + v).isEqualTo(a.get(v));
                if (!java.util.Arrays.equals(a.get(v), naive.baseline(Progress.none()))) {
                    changed++;
                }
            }
        }
        assertThat(changed).as("variants that change some prediction").isGreaterThan(5);
    }

    @Test
    void memoryBoundedChunksGiveTheSamePredictions() {
        SweepEngine naive = new NaiveSweepEngine(applier, images, 32);
        SweepEngine chunked = new SuffixSweepEngine(applier, images, 32, 1);
        for (String layer : List.of("stage2.block0.conv2", "stem.conv", "fc")) {
            List<int[]> a = predictions(naive, layer);
            List<int[]> b = predictions(chunked, layer);
            for (int v = 0; v < a.size(); v++) {
                assertThat(b.get(v)).as(layer + " variant " + v).isEqualTo(a.get(v));
            }
        }
    }

    @Test
    void sharedSuffixRunnerEngineAgreesWithTheNaiveOne() {
        SweepEngine naive = new NaiveSweepEngine(applier, images, io.lathe.eval.Predictor.DEFAULT_BATCH);
        SweepEngine runner = new RunnerSweepEngine(applier, images, Long.MAX_VALUE);
        for (String layer : List.of("stage2.block0.conv2", "stage1.block0.conv1", "fc")) {
            List<int[]> a = predictions(naive, layer);
            List<int[]> b = predictions(runner, layer);
            for (int v = 0; v < a.size(); v++) {
                assertThat(b.get(v)).as(layer + " variant " + v).isEqualTo(a.get(v));
            }
        }
    }

    @Test
    void engineLeavesTheLoadedModelUnchanged() {
        float[] before = applier.model().graph().params().dup().data().asFloat();
        new SuffixSweepEngine(applier, images, 32, Long.MAX_VALUE).run("stage1.block0.conv1",
                variants("stage1.block0.conv1"), (v, p) -> true, Progress.none());
        assertThat(applier.model().graph().params().dup().data().asFloat()).isEqualTo(before);
    }
}
