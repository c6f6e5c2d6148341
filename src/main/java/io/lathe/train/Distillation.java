package io.lathe.train;

/**
 * Knowledge-distillation settings: loss = α·KL(teacher/T ‖ student/T)·T² + (1 − α)·cross-entropy.
 *
 * @param alpha       weight of the distillation term, in [0, 1]
 * @param temperature softmax temperature T, > 0
 */
public record Distillation(double alpha, double temperature) {
    public Distillation {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("--alpha must be between 0 and 1, got " + alpha);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be > 0, got " + temperature);
        }
    }
}
