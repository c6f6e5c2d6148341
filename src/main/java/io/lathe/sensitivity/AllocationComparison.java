package io.lathe.sensitivity;

import io.lathe.compress.CompressedModel;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Evaluator;
import io.lathe.job.Progress;

import java.util.ArrayList;
import java.util.List;

/**
 * An allocation measured against the uniform plan of the same global sparsity (sparsity and drop
 * goals) or the same size (size goals: one bit width and one sparsity for every allocated layer), both
 * evaluated on the same images. Pinned layers keep their settings in both plans.
 *
 * @param allocation    the allocation
 * @param uniform       the uniform plan it is compared with
 * @param uniformStats  size and sparsity of the uniform plan
 * @param baselineTop1  accuracy of the unchanged model
 * @param allocatedTop1 measured accuracy of the allocated plan
 * @param uniformTop1   measured accuracy of the uniform plan
 * @param images        images measured on
 */
public record AllocationComparison(Allocation allocation, Plan uniform, ModelStats uniformStats, double baselineTop1,
                                   double allocatedTop1, double uniformTop1, int images) {

    /** Builds the uniform plan and measures both plans and the unchanged model on {@code images}. */
    public static AllocationComparison measure(PlanApplier applier, Allocation a, LabeledImages images,
                                               Progress progress) {
        Plan uniform = uniformLike(applier, a);
        ModelStats us = applier.stats(applier.compressLayers(uniform));
        progress.update(0, "measuring the unchanged model");
        double base = Evaluator.evaluate(applier.model().graph(), applier.model(), images, progress.range(0, 0.33)).top1();
        progress.update(0.33, "measuring the allocated plan");
        double alloc = evaluate(applier, a.plan(), images, progress.range(0.33, 0.67));
        progress.update(0.67, "measuring the uniform plan");
        double uni = evaluate(applier, uniform, images, progress.range(0.67, 1));
        return new AllocationComparison(a, uniform, us, base, alloc, uni, images.size());
    }

    private static double evaluate(PlanApplier applier, Plan plan, LabeledImages images, Progress progress) {
        CompressedModel cm = applier.apply(plan);
        return Evaluator.evaluate(cm.graph(), applier.model(), images, progress).top1();
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
