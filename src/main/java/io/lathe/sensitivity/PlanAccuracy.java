package io.lathe.sensitivity;

import io.lathe.compress.Plan;
import io.lathe.job.Progress;

/** Measures the top-1 of the model under a plan on one fixed image set, here or on a cluster. */
@FunctionalInterface
public interface PlanAccuracy {
    /** Top-1 (fraction) under {@code plan}, BatchNorm calibrated as it says; null plan: the unchanged model. */
    double top1(Plan plan, Progress progress);
}
