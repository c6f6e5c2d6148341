package io.lathe.cli;

import io.lathe.spark.SparkCluster;
import io.lathe.spark.SparkMaster;
import picocli.CommandLine.Option;

import java.util.Map;

/** The {@code --spark} option of sensitivity, eval and allocate. */
final class SparkOptions {
    @Option(names = "--spark", arity = "0..1", fallbackValue = SparkMaster.SUBMIT, paramLabel = "MASTER",
            description = "Run on Apache Spark: local[N], spark://HOST:PORT, yarn, k8s://URL, or nothing under "
                    + "spark-submit (its master). Same results as without; see the README.")
    String master;

    boolean enabled() {
        return master != null;
    }

    /**
     * Refuses a malformed or unreachable master before any model or data is read (nothing to do
     * without {@code --spark}).
     */
    void check() {
        if (master != null) {
            SparkMaster m = SparkMaster.parse(master);
            m.effectiveUrl();
            m.checkReachable(3000);
        }
    }

    /** Checks the master and connects (a one-line error when it is malformed or unreachable). */
    SparkCluster connect(String command) {
        return SparkCluster.connect(SparkMaster.parse(master), "lathe " + command);
    }

    /** What the JSON output says about the run on Spark. */
    static Map<String, Object> describe(SparkCluster c) {
        return io.lathe.session.Operations.sparkFigures(c);
    }
}
