package io.lathe.spark;

import io.lathe.sensitivity.SensitivityCurves;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A sweep on a standalone master with two workers, started by the test on the loopback address. */
class SparkStandaloneTest {
    @Test
    void sweepOnTwoWorkersEqualsTheLocalSweep(@TempDir Path home, @TempDir Path a, @TempDir Path b) throws Exception {
        SparkFixture fx = new SparkFixture();
        SensitivityCurves local = fx.localSweep(a);
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.executor.memory", "1g");
        try (StandaloneCluster standalone = new StandaloneCluster(home, 2);
             SparkCluster cluster = SparkCluster.connect(SparkMaster.parse(standalone.url()), "lathe standalone test")) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (cluster.context().sc().statusTracker().getExecutorInfos().length < 3 && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertThat(cluster.context().sc().statusTracker().getExecutorInfos()).hasSize(3);
            SparkSweep runner = new SparkSweep(cluster, cluster.broadcast(fx.payload()), fx.spec.granularity(),
                    fx.spec.blockShape());

            SensitivityCurves spark = fx.sweep(runner, b);

            assertThat(spark.baseline()).isEqualTo(local.baseline());
            assertThat(spark.layers()).isEqualTo(local.layers());
            assertThat(runner.taskTimes().stream().map(SparkSweep.TaskTime::executor).distinct()).hasSize(2);
        } finally {
            System.clearProperty("spark.driver.host");
            System.clearProperty("spark.executor.memory");
        }
    }
}
