package io.lathe.spark;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.Granularity;
import io.lathe.eval.Evaluation;
import io.lathe.eval.PlannedNetwork;
import io.lathe.job.CancelledException;
import io.lathe.job.Progress;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.sensitivity.SweepSeries;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sweeps and evaluations on {@code local[2]} against the same work done without Spark. */
class SparkLocalTest {
    private static SparkFixture fx;
    private static SparkCluster cluster;
    private static Broadcast<ClusterPayload> payload;

    @BeforeAll
    static void start() throws Exception {
        fx = new SparkFixture();
        cluster = SparkCluster.connect(SparkMaster.parse("local[2]"), "lathe test");
        payload = cluster.broadcast(fx.payload());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sweepOnLocalTwoEqualsTheLocalSweepAndFillsTheSameStore(@TempDir Path a, @TempDir Path b) throws Exception {
        SensitivityCurves local = fx.localSweep(a);
        SensitivityCurves spark = fx.sweep(new SparkSweep(cluster, payload, fx.spec.granularity(), fx.spec.blockShape()), b);

        assertThat(spark.baseline()).isEqualTo(local.baseline());
        assertThat(spark.layers()).isEqualTo(local.layers());
        assertThat(spark.layers().get(0).sparsity()).hasSize(3);
        try (var files = Files.list(a)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(b.resolve(f.getFileName()))).isEqualTo(Files.readString(f));
            }
        }
    }

    @Test
    void taskThatFailsOnceIsRetriedAndTheSweepCompletes(@TempDir Path a, @TempDir Path b) {
        SensitivityCurves local = fx.localSweep(a);
        int failedBefore = cluster.failedAttempts();
        SparkSweep failingOnce = new SparkSweep(cluster, payload, fx.spec.granularity(), fx.spec.blockShape(),
                body -> new FailFirstAttempt<>(body, 2));

        SensitivityCurves spark = fx.sweep(failingOnce, b);

        assertThat(cluster.failedAttempts() - failedBefore).isEqualTo(1);
        assertThat(spark.layers()).isEqualTo(local.layers());
    }

    @Test
    void cancellingStopsTheSparkJob() throws InterruptedException {
        AtomicBoolean cancel = new AtomicBoolean();
        Progress p = new Progress() {
            @Override
            public void update(double fraction, String message) {
                if (fraction > 0) {
                    cancel.set(true);
                }
            }

            @Override
            public boolean isCancelled() {
                return cancel.get();
            }
        };
        SparkSweep runner = new SparkSweep(cluster, payload, fx.spec.granularity(), fx.spec.blockShape());
        List<SweepSeries> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add(new SweepSeries("stage3.block0.conv2", false, new double[]{0.1 + 0.05 * i}));
        }
        List<Integer> delivered = new ArrayList<>();

        assertThatThrownBy(() -> runner.run(many, (s, i, pred) -> delivered.add(i), p))
                .isInstanceOf(CancelledException.class);
        assertThat(delivered.size()).isLessThan(many.size());
        long end = System.nanoTime() + 5_000_000_000L;
        while (cluster.context().statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(cluster.context().statusTracker().getActiveJobIds()).as("Spark's view lags by its listener bus").isEmpty();
    }

    @Test
    void evaluationOnShardsEqualsTheLocalEvaluationImageForImage() {
        PlanApplier applier = fx.applier;
        Plan plan = Plan.empty(fx.model.name(), fx.model.sha256())
                .with("stage2.block0.conv1", new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, 0.7),
                        QuantSetting.bits(4), false));
        Evaluation local = PlannedNetwork.build(applier, plan, null, Progress.none()).evaluate(fx.images, Progress.none());

        Evaluation spark = new SparkEval(cluster, payload, fx.images).evaluate(plan, Progress.none());

        assertThat(spark.predictions()).isEqualTo(local.predictions());
        assertThat(spark.top1()).isEqualTo(local.top1());
    }

    /** Makes the first attempt of the task for variant {@code index} of each series fail. */
    private record FailFirstAttempt<R>(io.lathe.spark.TaskBody<SparkSweep.Item, R> inner, int index)
            implements io.lathe.spark.TaskBody<SparkSweep.Item, R> {
        @Override
        public R run(SparkSweep.Item item, Progress progress) throws Exception {
            if (item.series() == 0 && item.index() == index && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("failing the first attempt on purpose");
            }
            return inner.run(item, progress);
        }
    }
}
