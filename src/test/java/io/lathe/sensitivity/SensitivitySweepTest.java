package io.lathe.sensitivity;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.CompressedLayer;
import io.lathe.compress.Granularity;
import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.job.CancelledException;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensitivitySweepTest {
    /** One block per stage, 12×12 grey images, four classes (the brightest quadrant). */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8, 8).withInput(1, 12).withClasses(4).withSeed(7);

    private static PlanApplier applier;
    private static LabeledImages images;
    private static SweepSpec spec;

    @BeforeAll
    static void setUp() throws Exception {
        LoadedModel m = NET.model("tiny");
        LayerTree tree = LayerTree.of(m);
        applier = new PlanApplier(m, tree);
        images = TinyImages.brightestQuadrant(64, 12, 5);
        spec = new SweepSpec(List.of("stage1.block0.conv2", "stem.conv", "fc", "stage3.block0.conv1"),
                new double[]{0, 0.5, 0.9}, new int[]{4, 2}, Granularity.ELEMENT, "1x4", null);
    }

    /** Counts the variants an engine is asked to run. */
    private record Counting(SweepEngine inner, AtomicInteger runs) implements SweepEngine {
        @Override
        public int[] baseline(Progress progress) {
            return inner.baseline(progress);
        }

        @Override
        public void run(String layer, List<CompressedLayer> variants, VariantSink sink, Progress progress) {
            runs.addAndGet(variants.size());
            inner.run(layer, variants, sink, progress);
        }

        @Override
        public String name() {
            return inner.name();
        }
    }

    private static SweepEngine engine() {
        return new SuffixSweepEngine(applier, images, 16, Long.MAX_VALUE);
    }

    @Test
    void resumedSweepAfterCancelGivesTheUninterruptedCurves(@TempDir Path a, @TempDir Path b) {
        SensitivityCurves whole = new SensitivitySweep(applier, images, spec, engine(), new SweepStore(a), null)
                .run(Progress.none());

        AtomicBoolean cancel = new AtomicBoolean();
        AtomicInteger updates = new AtomicInteger();
        Progress cancellable = new Progress() {
            @Override
            public void update(double fraction, String message) {
            }

            @Override
            public boolean isCancelled() {
                return cancel.get();
            }
        };
        SensitivitySweep first = new SensitivitySweep(applier, images, spec, engine(), new SweepStore(b), c -> {
            if (updates.incrementAndGet() == 8) {
                cancel.set(true);
            }
        });
        assertThatThrownBy(() -> first.run(cancellable)).isInstanceOf(CancelledException.class);

        AtomicInteger runs = new AtomicInteger();
        List<SensitivityCurves> seen = new ArrayList<>();
        SensitivityCurves resumed = new SensitivitySweep(applier, images, spec, new Counting(engine(), runs),
                new SweepStore(b), seen::add).run(Progress.none());

        assertThat(resumed.layers()).isEqualTo(whole.layers());
        assertThat(resumed.baseline()).isEqualTo(whole.baseline());
        int total = spec.layers().size() * (spec.sparsities().length + spec.bits().length);
        assertThat(runs.get()).as("variants re-run after resuming").isGreaterThan(0).isLessThan(total - 5);
        assertThat(seen.get(0).progress()[0]).as("points already stored when resuming").isGreaterThanOrEqualTo(6);
        assertThat(resumed.complete()).isTrue();
    }

    @Test
    void finishedSweepIsReusedWithoutRunningTheNetwork(@TempDir Path dir) {
        new SensitivitySweep(applier, images, spec, engine(), new SweepStore(dir), null).run(Progress.none());
        AtomicInteger runs = new AtomicInteger();
        SensitivityCurves again = new SensitivitySweep(applier, images, spec, new Counting(engine(), runs),
                new SweepStore(dir), null).run(Progress.none());
        assertThat(runs.get()).isZero();
        assertThat(again.complete()).isTrue();
    }

    @Test
    void curvesHoldEveryLevelWithLevelZeroAtTheBaseline(@TempDir Path dir) {
        SensitivityCurves c = new SensitivitySweep(applier, images, spec, engine(), new SweepStore(dir), null)
                .run(Progress.none());
        for (LayerCurve curve : c.layers()) {
            assertThat(curve.sparsity().keySet()).containsExactly(0.0, 0.5, 0.9);
            assertThat(curve.bits().keySet()).containsExactly(2, 4);
            assertThat(curve.sparsity().get(0.0)).isEqualTo(c.baseline());
        }
        assertThat(c.buckets()).hasSize(4).containsValue(SensitivityBucket.TOP);
        assertThat(c.scores().values()).allSatisfy(s -> assertThat(s).isBetween(0.0, 100.0));
    }

    @Test
    void earlyStoppingSkipsLevelsBelowTheFloorAndSaysSo(@TempDir Path dir) {
        SweepSpec floored = new SweepSpec(spec.layers(), spec.sparsities(), new int[0], Granularity.ELEMENT, "1x4", 1.0);
        SensitivityCurves c = new SensitivitySweep(applier, images, floored, engine(), new SweepStore(dir), null)
                .run(Progress.none());
        boolean anyStopped = false;
        for (LayerCurve curve : c.layers()) {
            if (curve.stoppedEarly()) {
                anyStopped = true;
                assertThat(curve.sparsity().size()).isLessThan(3);
            }
        }
        assertThat(anyStopped).isTrue();
        assertThat(c.earlyStopFloor()).isEqualTo(1.0);
    }
}
