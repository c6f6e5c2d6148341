package io.lathe.job;

/**
 * A long operation: plain Java, no toolkit. It reports through {@link Progress}, checks for
 * cancellation between units of work and must leave its inputs unchanged when cancelled.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface Job<T> {
    T run(Progress progress) throws Exception;
}
