package io.lathe.sensitivity;

import java.util.Locale;

/**
 * What an allocation aims for: a global sparsity of the prunable weights, a model size, or the
 * largest accuracy drop allowed.
 *
 * @param kind  which goal
 * @param value sparsity as a fraction in (0, 1); size in kilobytes (1 KB = 1,000 bytes, as
 *              {@code SizeModel} counts); drop in percentage points (≥ 0)
 */
public record AllocationGoal(Kind kind, double value) {
    /** The kinds of goal. */
    public enum Kind { SPARSITY, SIZE_KB, MAX_DROP }

    public AllocationGoal {
        if (kind == null) {
            throw new IllegalArgumentException("an allocation needs a goal: target sparsity, target size or max drop");
        }
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("the goal value is not a number");
        }
        switch (kind) {
            case SPARSITY -> {
                if (value <= 0 || value >= 1) {
                    throw new IllegalArgumentException("target sparsity " + value + " is outside 0-1: use a fraction "
                            + "such as 0.7 for 70%");
                }
            }
            case SIZE_KB -> {
                if (value <= 0) {
                    throw new IllegalArgumentException("target size must be positive (in KB), got " + value);
                }
            }
            case MAX_DROP -> {
                if (value < 0 || value > 100) {
                    throw new IllegalArgumentException("max drop " + value + " is outside 0-100 percentage points");
                }
            }
        }
    }

    public static AllocationGoal sparsity(double s) {
        return new AllocationGoal(Kind.SPARSITY, s);
    }

    public static AllocationGoal sizeKb(double kb) {
        return new AllocationGoal(Kind.SIZE_KB, kb);
    }

    public static AllocationGoal maxDrop(double points) {
        return new AllocationGoal(Kind.MAX_DROP, points);
    }

    /** True if the goal needs bit-width curves too. */
    public boolean usesBits() {
        return kind == Kind.SIZE_KB;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SPARSITY -> String.format(Locale.ROOT, "global sparsity %.1f%%", 100 * value);
            case SIZE_KB -> String.format(Locale.ROOT, "model size %.1f KB", value);
            case MAX_DROP -> String.format(Locale.ROOT, "accuracy drop at most %.2f points", value);
        };
    }
}
