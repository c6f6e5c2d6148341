package io.lathe.spark;

import io.lathe.job.CancelledException;
import io.lathe.job.Progress;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.File;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A connection to Spark for one command or one window job: the Spark context, and a way to run a
 * list of items as one task each, with the results handed over on the calling thread as the tasks
 * finish (not at the end). Cancelling the caller's {@link Progress} cancels the Spark job (running
 * tasks are interrupted); a failed task is retried by Spark ({@code spark.task.maxFailures}, 4).
 * Lathe's classes reach the executors as spark-submit ships them, or, when Lathe itself connects to a
 * cluster, through {@code spark.executor.extraClassPath} set to this process's class path (executors
 * on this machine or on a shared file system). One instance at a time per process (Spark's rule);
 * use from one thread.
 */
public final class SparkCluster implements AutoCloseable {
    private static final Object DONE = new Object();
    private final SparkMaster master;
    private final JavaSparkContext context;
    private int failedAttempts;
    private int tasks;

    private SparkCluster(SparkMaster master, JavaSparkContext context) {
        this.master = master;
        this.context = context;
    }

    /**
     * Starts a Spark context for {@code master}; {@code spark.*} system properties add to or override
     * Lathe's settings. Refuses in one line a master that is unreachable, a missing Spark, or a Java
     * that does not open what Spark needs.
     */
    public static SparkCluster connect(SparkMaster master, String appName) {
        try {
            Class.forName("org.apache.spark.SparkContext");
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Apache Spark is not on the class path: run target/lathe.jar as built by "
                    + "'mvn package', or submit the job jar (mvn -Pspark-job package) with spark-submit");
        }
        if (!Object.class.getModule().isOpen("sun.nio.ch", SparkCluster.class.getModule())) {
            throw new IllegalStateException("Spark needs parts of java.base opened on Java 17: start Lathe with "
                    + "'java -jar target/lathe.jar' (its manifest opens them) or add the --add-opens flags in the README");
        }
        String url = master.effectiveUrl();
        master.checkReachable(3000);
        SparkConf conf = new SparkConf(true).setAppName(appName).setMaster(url);
        if (master.isLocal()) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        conf.setIfMissing("spark.task.maxFailures", "4");
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        if (!master.isLocal() && !master.isSubmit() && !conf.contains("spark.jars")
                && !conf.contains("spark.executor.extraClassPath")) {
            conf.set("spark.executor.extraClassPath", driverClassPath());
        }
        return new SparkCluster(master, new JavaSparkContext(conf));
    }

    /** This process's class path with absolute entries (a jar's manifest class path is read by the executor). */
    static String driverClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> new File(s).getAbsolutePath())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The master as given. */
    public SparkMaster master() {
        return master;
    }

    /** The Spark context (for tests and figures). */
    public JavaSparkContext context() {
        return context;
    }

    /** How many tasks may run at once (Spark's default parallelism). */
    public int parallelism() {
        return context.defaultParallelism();
    }

    /** Sends {@code value} once to every executor. */
    public <V> Broadcast<V> broadcast(V value) {
        return context.broadcast(value);
    }

    /** Task attempts that failed (and were retried) over every {@link #run} so far. */
    public int failedAttempts() {
        return failedAttempts;
    }

    /** Tasks run so far (each item of every {@link #run}). */
    public int tasks() {
        return tasks;
    }

    /**
     * Runs {@code body} on every item, one Spark task each, and hands each result to {@code onResult} on
     * this thread as soon as its task finished. Progress reports tasks done of total.
     *
     * @throws CancelledException when {@code progress} was cancelled (the Spark job is cancelled too)
     * @throws IllegalStateException with Spark's reason when a task failed after its retries
     */
    public <T extends Serializable, R> void run(String what, List<T> items, TaskBody<T, R> body, Consumer<R> onResult,
                                                Progress progress) {
        if (items.isEmpty()) {
            return;
        }
        String group = "lathe-" + UUID.randomUUID();
        BlockingQueue<Object> results = new LinkedBlockingQueue<>();
        JavaRDD<T> rdd = context.parallelize(items, items.size());
        Thread submitter = new Thread(() -> {
            try {
                context.setJobGroup(group, what, true);
                @SuppressWarnings("unchecked")
                ClassTag<R> tag = (ClassTag<R>) ClassTag$.MODULE$.apply(Object.class);
                context.sc().runJob(rdd.rdd(), new PartitionTask<>(body), new Collector<>(results), tag);
                results.add(DONE);
            } catch (Throwable t) {
                results.add(new Failure(t));
            }
        }, "lathe-spark-job");
        submitter.setDaemon(true);
        submitter.start();
        int done = 0;
        progress.update(0, what + ": 0 of " + items.size() + " tasks");
        try {
            while (true) {
                if (progress.isCancelled() || Thread.currentThread().isInterrupted()) {
                    context.cancelJobGroup(group);
                    throw new CancelledException();
                }
                Object r = results.poll(100, TimeUnit.MILLISECONDS);
                if (r == null) {
                    continue;
                }
                if (r == DONE) {
                    break;
                }
                if (r instanceof Failure f) {
                    throw new IllegalStateException(what + " failed on Spark: " + reason(f.cause()), f.cause());
                }
                @SuppressWarnings("unchecked")
                R result = (R) r;
                onResult.accept(result);
                done++;
                progress.update((double) done / items.size(), what + ": " + done + " of " + items.size() + " tasks");
            }
        } catch (InterruptedException e) {
            context.cancelJobGroup(group);
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } finally {
            tasks += done;
            failedAttempts += failedAttempts(group);
            try {
                submitter.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int failedAttempts(String group) {
        int failed = 0;
        for (int job : context.statusTracker().getJobIdsForGroup(group)) {
            SparkJobInfo info = context.statusTracker().getJobInfo(job);
            if (info == null) {
                continue;
            }
            for (int stage : info.stageIds()) {
                SparkStageInfo s = context.statusTracker().getStageInfo(stage);
                failed += s == null ? 0 : s.numFailedTasks();
            }
        }
        return failed;
    }

    /** The first line of Spark's reason, without its "Job aborted due to stage failure" preamble. */
    private static String reason(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String first = msg.lines().findFirst().orElse(msg);
        int cause = first.lastIndexOf("): ");
        return cause >= 0 ? first.substring(cause + 3) : first;
    }

    @Override
    public void close() {
        context.close();
    }

    private record Failure(Throwable cause) {
    }

    /** Spark's result handler: runs on the driver's scheduler thread, so it only queues the result. */
    private static final class Collector<R> extends AbstractFunction2<Object, R, BoxedUnit> implements Serializable {
        private final transient BlockingQueue<Object> queue;

        Collector(BlockingQueue<Object> queue) {
            this.queue = queue;
        }

        @Override
        public BoxedUnit apply(Object partition, R result) {
            queue.add(result);
            return BoxedUnit.UNIT;
        }
    }
}
