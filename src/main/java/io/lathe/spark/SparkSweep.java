package io.lathe.spark;

import io.lathe.compress.Granularity;
import io.lathe.job.Progress;
import io.lathe.sensitivity.SeriesRunner;
import io.lathe.sensitivity.SweepSeries;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A {@link SeriesRunner} on Spark: every (layer, level) variant is one task; an executor measures it
 * with the same {@link io.lathe.sensitivity.LocalSeriesRunner} and suffix engine the local sweep uses
 * (keeping the activations before a layer between the tasks of that layer it runs), and the driver
 * hands the predictions on in level order within each series, skipping the rest of a series once the
 * sweep says so. Driver side: one thread.
 */
public final class SparkSweep implements SeriesRunner {
    private final SparkCluster cluster;
    private final Broadcast<ClusterPayload> payload;
    private final Granularity granularity;
    private final String blockShape;
    private final TaskBody<Item, Result> body;
    private final List<TaskTime> times = new ArrayList<>();

    public SparkSweep(SparkCluster cluster, Broadcast<ClusterPayload> payload, Granularity granularity,
                      String blockShape) {
        this(cluster, payload, granularity, blockShape, UnaryOperator.identity());
    }

    /** As the public constructor, with each task's body wrapped by {@code wrap} (tests make tasks fail with it). */
    SparkSweep(SparkCluster cluster, Broadcast<ClusterPayload> payload, Granularity granularity, String blockShape,
               UnaryOperator<TaskBody<Item, Result>> wrap) {
        this.cluster = cluster;
        this.payload = payload;
        this.granularity = granularity;
        this.blockShape = blockShape;
        this.body = wrap.apply(body(payload));
    }

    /** One task of a sweep: a single variant of a series (null: the unchanged network). */
    record Item(int series, int index, SweepSeries variant, String granularity, String blockShape)
            implements Serializable {
    }

    /** A task's predictions, with where and how long it ran (seconds inside the task). */
    record Result(int series, int index, int[] predictions, String executor, double seconds) implements Serializable {
    }

    /** Where and how long one task ran. */
    public record TaskTime(String executor, double seconds) {
    }

    @Override
    public int[] baseline(Progress progress) {
        int[][] out = new int[1][];
        cluster.run("unchanged network", List.of(new Item(-1, 0, null, granularity.key(), blockShape)), body,
                (Result r) -> {
                    times.add(new TaskTime(r.executor(), r.seconds()));
                    out[0] = r.predictions();
                }, progress);
        return out[0];
    }

    @Override
    public void run(List<SweepSeries> series, Sink sink, Progress progress) {
        List<Item> items = new ArrayList<>();
        int[][][] arrived = new int[series.size()][][];
        int[] next = new int[series.size()];
        boolean[] stopped = new boolean[series.size()];
        for (int s = 0; s < series.size(); s++) {
            arrived[s] = new int[series.get(s).size()][];
            for (int i = 0; i < series.get(s).size(); i++) {
                items.add(new Item(s, i, series.get(s).single(i), granularity.key(), blockShape));
            }
        }
        cluster.run("sensitivity sweep", items, body, (Result r) -> {
            times.add(new TaskTime(r.executor(), r.seconds()));
            int s = r.series();
            arrived[s][r.index()] = r.predictions();
            while (!stopped[s] && next[s] < arrived[s].length && arrived[s][next[s]] != null) {
                stopped[s] = !sink.accept(series.get(s), next[s], arrived[s][next[s]]);
                arrived[s][next[s]] = null;
                next[s]++;
            }
        }, progress);
    }

    /** Time of every task run so far, in the order they finished. */
    public List<TaskTime> taskTimes() {
        return List.copyOf(times);
    }

    /** The executor side of a sweep task (static, so only the broadcast handle travels with it). */
    static TaskBody<Item, Result> body(Broadcast<ClusterPayload> payload) {
        return (item, progress) -> {
            long t0 = System.nanoTime();
            ClusterPayload p = payload.value();
            ClusterWorker w = ExecutorCache.borrow(p);
            try {
                int[] pred = w.sweep(item.variant(), Granularity.parse(item.granularity()), item.blockShape(), progress);
                return new Result(item.series(), item.index(), pred, Executors.id(), (System.nanoTime() - t0) / 1e9);
            } finally {
                ExecutorCache.release(p, w);
            }
        };
    }
}
