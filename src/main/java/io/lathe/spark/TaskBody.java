package io.lathe.spark;

import io.lathe.job.Progress;

import java.io.Serializable;

/**
 * What one Spark task does with its item, on an executor; serialized with the job, so it holds only
 * serializable values (broadcast handles for anything large).
 *
 * @param <T> the item a task gets
 * @param <R> the result it sends back
 */
@FunctionalInterface
public interface TaskBody<T, R> extends Serializable {
    R run(T item, Progress progress) throws Exception;
}
