package io.lathe.spark;

import org.apache.spark.SparkEnv;

/** Which executor a task runs on, for the per-task figures. */
final class Executors {
    private Executors() {
    }

    /** Spark's id of this executor ("driver" in local mode). */
    static String id() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "unknown" : env.executorId();
    }
}
