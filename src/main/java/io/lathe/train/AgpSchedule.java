package io.lathe.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The automated gradual pruning schedule of Zhu &amp; Gupta ("To prune, or not to prune", 2017):
 * {@code s_t = s_f + (s_i − s_f)(1 − (t − t0)/(nΔt))³} for {@code t = t0, t0+Δt, …, t0+nΔt}. Sparsity
 * rises quickly at first and levels off as it approaches the target. Pure functions; immutable.
 *
 * @param startStep t0, the first pruning step
 * @param endStep   t0 + nΔt, the step at which the target sparsity is reached
 * @param frequency Δt, steps between two pruning updates
 */
public record AgpSchedule(long startStep, long endStep, long frequency) {

    public AgpSchedule {
        if (startStep < 0) {
            throw new IllegalArgumentException("the schedule start must be >= 0, got step " + startStep);
        }
        if (endStep <= startStep) {
            throw new IllegalArgumentException("the schedule must end after it starts: start step " + startStep
                    + ", end step " + endStep);
        }
        if (frequency < 1) {
            throw new IllegalArgumentException("the pruning frequency must be >= 1 step, got " + frequency);
        }
    }

    /** A point of the curve: the sparsity in effect from {@code step} on. */
    public record Point(long step, double sparsity) {
    }

    /**
     * The fraction of the way from the initial to the final sparsity at {@code step}:
     * {@code 1 − (1 − p)³} with p the progress through the schedule, held constant between pruning steps.
     */
    public double fraction(long step) {
        if (step < startStep) {
            return 0;
        }
        if (step >= endStep) {
            return 1;
        }
        long last = startStep + ((step - startStep) / frequency) * frequency;
        double p = (double) (last - startStep) / (endStep - startStep);
        double r = 1 - p;
        return 1 - r * r * r;
    }

    /** {@code s_t} for a layer that starts at {@code initial} and must end at {@code target}. */
    public double sparsity(long step, double initial, double target) {
        if (step < startStep) {
            return initial;
        }
        return initial + (target - initial) * fraction(step);
    }

    /** True if the masks are recomputed at {@code step}: every Δt from t0, and at the end. */
    public boolean isPruningStep(long step) {
        return step == endStep || (step >= startStep && step < endStep && (step - startStep) % frequency == 0);
    }

    /**
     * The curve for plotting before a job starts: one point at step 0, one at every pruning step and
     * one at {@code totalSteps} (if later than the end).
     */
    public List<Point> curve(double initial, double target, long totalSteps) {
        List<Point> out = new ArrayList<>();
        if (startStep > 0) {
            out.add(new Point(0, initial));
        }
        for (long t = startStep; t < endStep; t += frequency) {
            out.add(new Point(t, sparsity(t, initial, target)));
        }
        out.add(new Point(endStep, target));
        if (totalSteps > endStep) {
            out.add(new Point(totalSteps, target));
        }
        return out;
    }

    /** A schedule given in epochs (start, end, decimal) and steps (frequency) for a run with {@code stepsPerEpoch}. */
    public static AgpSchedule ofEpochs(double startEpoch, double endEpoch, long frequency, long stepsPerEpoch) {
        return new AgpSchedule(Math.round(startEpoch * stepsPerEpoch), Math.round(endEpoch * stepsPerEpoch), frequency);
    }
}
