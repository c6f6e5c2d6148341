package io.lathe.spark;

import io.lathe.job.Progress;
import org.apache.spark.TaskContext;
import scala.runtime.AbstractFunction2;

import java.io.Serializable;

/**
 * A Spark partition function over a partition of exactly one item: runs the {@link TaskBody} with a
 * progress that reports the task as cancelled once Spark interrupts it (the job was cancelled).
 */
final class PartitionTask<T, R> extends AbstractFunction2<TaskContext, scala.collection.Iterator<T>, R>
        implements Serializable {
    private final TaskBody<T, R> body;

    PartitionTask(TaskBody<T, R> body) {
        this.body = body;
    }

    @Override
    public R apply(TaskContext context, scala.collection.Iterator<T> items) {
        T item = items.next();
        Progress progress = new Progress() {
            @Override
            public void update(double fraction, String message) {
                // Executors report by finishing tasks; the driver counts them.
            }

            @Override
            public boolean isCancelled() {
                return context.isInterrupted();
            }
        };
        try {
            return body.run(item, progress);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
