package io.lathe.ui;

import io.lathe.compress.Plan;

/**
 * One finished exact preview: a configuration tried, for the explored-configurations chart.
 *
 * @param plan             the plan measured
 * @param compressionRatio fp32 size / compressed size
 * @param top1             exact validation accuracy
 */
public record ExploredPoint(Plan plan, double compressionRatio, double top1) {
    /** True if {@code other} is at least as good on both axes and better on one. */
    public boolean dominatedBy(ExploredPoint other) {
        return other.compressionRatio >= compressionRatio && other.top1 >= top1
                && (other.compressionRatio > compressionRatio || other.top1 > top1);
    }
}
