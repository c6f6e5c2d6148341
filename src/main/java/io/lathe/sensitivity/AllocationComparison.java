package io.lathe.sensitivity;

import io.lathe.compress.LayerSettings;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.LabeledImages;
import io.lathe.eval.PlannedNetwork;
import io.lathe.eval.Evaluator;
import io.lathe.job.Progress;

import java.util.ArrayList;
import java.util.List;

/**
 * An allocation measured against the uniform plan of the same global sparsity (sparsity and drop
 * goals) or the same size (size goals: one bit width and one sparsity for every allocated layer), both
 * evaluated on the same images. Pinned layers keep their settings in both plans. Both plans carry the
 * base plan's BatchNorm calibration; when it is on, both are also measured without it, so the
 * comparison can be quoted either way.
 *
 * @param allocation         the allocation
 * @param uniform            the uniform plan it is compared with
 * @param uniformStats       size and sparsity of the uniform plan
 * @param baselineTop1       accuracy of the unchanged model
 * @param allocatedTop1      measured accuracy of the allocated plan (with its calibration, if any)
 * @param uniformTop1        measured accuracy of the uniform plan (with its calibration, if any)
 * @param images             images measured on
 * @param allocatedPlainTop1 the allocated plan without BatchNorm calibration (NaN when it has none)
 * @param uniformPlainTop1   the uniform plan without BatchNorm calibration (NaN when it has none)
 */
public record AllocationComparison(Allocation allocation, Plan uniform, ModelStats uniformStats, double baselineTop1,
                                   double allocatedTop1, double uniformTop1, int images, double allocatedPlainTop1,
                                   double uniformPlainTop1) {

    /** True when the plans were measured with BatchNorm calibration (and the plain figures exist). */
    public boolean calibrated() {
        return allocation.plan().batchNormImages() > 0;
    }

    /**
     * Builds the uniform plan and measures both plans and the unchanged model on {@code images}.
     *
     * @param training training images for the plans' BatchNorm calibration (null: the plans must have none)
     */
    public static AllocationComparison measure(PlanApplier applier, Allocation a, LabeledImages images,
                                               LabeledImages training, Progress progress) {
        return measure(applier, a, images.size(), local(applier, images, training), progress);
    }

    /**
     * As {@link #measure(PlanApplier, Allocation, LabeledImages, LabeledImages, Progress)}, each plan
     * measured by {@code accuracy} on its {@code images} images.
     */
    public static AllocationComparison measure(PlanApplier applier, Allocation a, int images, PlanAccuracy accuracy,
                                               Progress progress) {
        Plan uniform = uniformLike(applier, a);
        ModelStats us = applier.stats(applier.compressLayers(uniform));
        boolean calibrated = a.plan().batchNormImages() > 0;
        double parts = calibrated ? 5 : 3;
        progress.update(0, "measuring the unchanged model");
        double base = accuracy.top1(null, progress.range(0, 1 / parts));
        progress.update(1 / parts, "measuring the allocated plan");
        double alloc = accuracy.top1(a.plan(), progress.range(1 / parts, 2 / parts));
        progress.update(2 / parts, "measuring the uniform plan");
        double uni = accuracy.top1(uniform, progress.range(2 / parts, 3 / parts));
        double allocPlain = Double.NaN;
        double uniPlain = Double.NaN;
        if (calibrated) {
            progress.update(3 / parts, "measuring both plans without BatchNorm calibration");
            allocPlain = accuracy.top1(a.plan().withBatchNormImages(0), progress.range(0.6, 0.8));
            uniPlain = accuracy.top1(uniform.withBatchNormImages(0), progress.range(0.8, 1));
        }
        return new AllocationComparison(a, uniform, us, base, alloc, uni, images, allocPlain, uniPlain);
    }

    /** Plans measured on this machine: the unchanged model as it is, a plan applied to a copy. */
    private static PlanAccuracy local(PlanApplier applier, LabeledImages images, LabeledImages training) {
        return (plan, progress) -> {
            if (plan == null) {
                return Evaluator.evaluate(applier.model().graph(), applier.model(), images, progress).top1();
            }
            double split = plan.batchNormImages() > 0 ? 0.3 : 0;
            return PlannedNetwork.build(applier, plan, training, progress.range(0, split)).evaluate(images, progress.range(split, 1)).top1();
        };
    }

    /** The uniform counterpart of an allocation (see the class comment). */
    public static Plan uniformLike(PlanApplier applier, Allocation a) {
        List<String> layers = new ArrayList<>(a.sparsity().keySet());
        int bits = a.goal().usesBits() ? medianBits(applier, a) : 32;
        if (a.goal().usesBits()) {
            long target = a.stats().sizeBytes();
            double lo = 0;
            double hi = 0.99;
            if (size(applier, a, layers, lo, bits) <= target) {
                return with(a, layers, lo, bits);
            }
            for (int i = 0; i < 30; i++) {
                double mid = (lo + hi) / 2;
                if (size(applier, a, layers, mid, bits) > target) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return with(a, layers, hi, bits);
        }
        double target = a.stats().sparsity();
        double lo = 0;
        double hi = 0.99;
        for (int i = 0; i < 30; i++) {
            double mid = (lo + hi) / 2;
            if (applier.stats(applier.compressLayers(with(a, layers, mid, 32))).sparsity() < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return with(a, layers, (lo + hi) / 2, 32);
    }

    private static long size(PlanApplier applier, Allocation a, List<String> layers, double s, int bits) {
        return applier.stats(applier.compressLayers(with(a, layers, s, bits))).sizeBytes();
    }

    private static Plan with(Allocation a, List<String> layers, double s, int bits) {
        Plan p = a.plan();
        var g = a.plan().pruneOf(layers.get(0)).granularity();
        for (String l : layers) {
            PruneSetting ps = s <= 0 ? PruneSetting.NONE : PruneSetting.sparsity(g, s)
                    .withBlockShape(a.plan().pruneOf(l).blockShape());
            p = p.with(l, new LayerSettings(ps, bits == 32 ? QuantSetting.NONE : QuantSetting.bits(bits), false));
        }
        return p;
    }

    private static int medianBits(PlanApplier applier, Allocation a) {
        List<int[]> byBits = new ArrayList<>();
        long total = 0;
        for (var e : a.bits().entrySet()) {
            long w = applier.tree().layer(e.getKey()).weights();
            byBits.add(new int[]{e.getValue(), (int) w});
            total += w;
        }
        byBits.sort((x, y) -> Integer.compare(x[0], y[0]));
        long acc = 0;
        for (int[] b : byBits) {
            acc += b[1];
            if (acc * 2 >= total) {
                return b[0];
            }
        }
        return 32;
    }
}
