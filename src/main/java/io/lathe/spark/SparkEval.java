package io.lathe.spark;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Evaluation;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.sensitivity.PlanAccuracy;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluation on Spark: the images are cut into shards that start on batch boundaries, each shard is one
 * task that applies the plan (and its BatchNorm calibration) with {@link io.lathe.eval.PlannedNetwork}
 * as {@code eval} does locally, and the driver puts the predictions together, so the evaluation equals
 * the local one image for image. Driver side: one thread.
 */
public final class SparkEval implements PlanAccuracy {
    private final SparkCluster cluster;
    private final Broadcast<ClusterPayload> payload;
    private final LabeledImages images;

    /** Evaluates on {@code images}, the driver's copy of the images the payload selects. */
    public SparkEval(SparkCluster cluster, Broadcast<ClusterPayload> payload, LabeledImages images) {
        this.cluster = cluster;
        this.payload = payload;
        this.images = images;
    }

    record Shard(String plan, int from, int to) implements Serializable {
    }

    record Result(int from, int[] predictions) implements Serializable {
    }

    /** Predicted class of every image under {@code plan} (null: the unchanged model). */
    public int[] predict(Plan plan, Progress progress) {
        int n = images.size();
        int batches = (n + Predictor.DEFAULT_BATCH - 1) / Predictor.DEFAULT_BATCH;
        int perShard = Math.max(1, (batches + 2 * cluster.parallelism() - 1) / (2 * cluster.parallelism()));
        int shard = perShard * Predictor.DEFAULT_BATCH;
        String json = plan == null ? null : PlanJson.write(plan);
        List<Shard> shards = new ArrayList<>();
        for (int from = 0; from < n; from += shard) {
            shards.add(new Shard(json, from, Math.min(n, from + shard)));
        }
        int[] out = new int[n];
        cluster.run("evaluation", shards, body(payload),
                (Result r) -> System.arraycopy(r.predictions(), 0, out, r.from(), r.predictions().length), progress);
        return out;
    }

    /** The evaluation of {@code plan}, as {@code eval} reports it. */
    public Evaluation evaluate(Plan plan, Progress progress) {
        long t0 = System.nanoTime();
        int[] pred = predict(plan, progress);
        return Evaluation.of(pred, images, (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public double top1(Plan plan, Progress progress) {
        return Predictor.accuracy(predict(plan, progress), images);
    }

    static TaskBody<Shard, Result> body(Broadcast<ClusterPayload> payload) {
        return (shard, progress) -> {
            ClusterPayload p = payload.value();
            ClusterWorker w = ExecutorCache.borrow(p);
            try {
                return new Result(shard.from(), w.predict(shard.plan(), shard.from(), shard.to(), progress));
            } finally {
                ExecutorCache.release(p, w);
            }
        };
    }
}
