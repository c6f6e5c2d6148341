package io.lathe.train;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.QuantSetting;
import io.lathe.data.DataSplits;
import io.lathe.eval.Evaluator;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Zhu &amp; Gupta's large-sparse versus small-dense experiment on the user's own models: prunes the
 * large model (Erdős–Rényi-kernel split, gradual schedule over the first half) to the non-zero weight
 * count of the small one, fine-tunes both with the same budget, and reports test top-1 against
 * non-zero weights, before and after, for a chart. Test images are used only for that final report.
 */
public final class SparseVsDense implements Job<SparseVsDense.Result> {
    private final LoadedModel large;
    private final LoadedModel small;
    private final DataSplits data;
    private final FineTuneSettings budget;
    private final FineTuneListener listener;
    private final Consumer<Point> onPoint;

    /** One point of the chart. */
    public record Point(String model, String phase, long nonZeroWeights, double testTop1) {
    }

    /** The experiment's outcome. */
    public record Result(double largeSparsity, long smallNonZero, long largeWeights, List<Point> points,
                         List<FineTuneListener.EpochRecord> largeHistory, List<FineTuneListener.EpochRecord> smallHistory,
                         double wallSeconds) {
    }

    /** @param budget the same epochs/batch/rate for both; its schedule is ignored (the large one gets AGP) */
    public SparseVsDense(LoadedModel large, LoadedModel small, DataSplits data, FineTuneSettings budget,
                         FineTuneListener listener) {
        this(large, small, data, budget, listener, p -> { });
    }

    /**
     * @param budget  the same epochs/batch/rate for both; its schedule is ignored (the large one gets AGP)
     * @param onPoint told of each chart point as soon as it is measured (engine thread; quick)
     */
    public SparseVsDense(LoadedModel large, LoadedModel small, DataSplits data, FineTuneSettings budget,
                         FineTuneListener listener, Consumer<Point> onPoint) {
        this.large = large;
        this.small = small;
        this.data = data;
        this.budget = budget.withSchedule(null).withQat(false).withDistillation(null);
        this.listener = listener;
        this.onPoint = onPoint;
    }

    @Override
    public Result run(Progress progress) throws Exception {
        long t0 = System.nanoTime();
        Students.requireCompatible(small, large, "small model", "large model");
        PlanApplier la = new PlanApplier(large, LayerTree.of(large));
        PlanApplier sa = new PlanApplier(small, LayerTree.of(small));
        long smallNz = nonZero(small.graph(), sa);
        long largeWeights = weights(la);
        double target = 1 - (double) smallNz / largeWeights;
        if (target <= 0) {
            throw new IllegalArgumentException("the small model has " + smallNz + " non-zero weights, not fewer than "
                    + "the large model's " + largeWeights + "; pick a smaller model");
        }
        Plan plan = ErkAllocation.plan(large.name(), large.sha256(), la.originals(), target, QuantSetting.NONE);
        List<Point> points = new ArrayList<>();
        progress.update(0, "measuring both models on the test split");
        add(points, new Point(large.name(), "before", nonZero(large.graph(), la), test(large.graph(), large, progress)));
        add(points, new Point(small.name(), "before", smallNz, test(small.graph(), small, progress)));
        int perEpoch = budget.stepsPerEpoch(data.train().size());
        long frequency = Math.max(1, perEpoch / 8);
        FineTuneSettings trained = budget.withDataDefault(data);
        FineTuneSettings ls = trained.withSchedule(AgpSchedule.ofEpochs(0, budget.epochs() / 2.0, frequency, perEpoch));
        FineTuneResult lr = new FineTuner(la, plan, null, data.train(), data.validation(), ls, listener)
                .run(labelled(progress.range(0.02, 0.6), "large-sparse " + large.name()));
        FineTuneResult sr = new FineTuner(sa, Plan.empty(small.name(), small.sha256()), null, data.train(),
                data.validation(), trained, listener).run(labelled(progress.range(0.6, 0.98), "small-dense " + small.name()));
        progress.update(0.98, "measuring both fine-tuned models on the test split");
        add(points, new Point(large.name(), "pruned+fine-tuned", nonZero(lr.model(), la), test(lr.model(), large, progress)));
        add(points, new Point(small.name(), "fine-tuned", nonZero(sr.model(), sa), test(sr.model(), small, progress)));
        return new Result(target, smallNz, largeWeights, points, lr.history(), sr.history(),
                (System.nanoTime() - t0) / 1e9);
    }

    private void add(List<Point> points, Point p) {
        points.add(p);
        onPoint.accept(p);
    }

    /** {@code p} with every message prefixed by the phase, so a progress line says which model trains. */
    private static Progress labelled(Progress p, String phase) {
        return new Progress() {
            @Override
            public void update(double fraction, String message) {
                p.update(fraction, phase + ": " + message);
            }

            @Override
            public boolean isCancelled() {
                return p.isCancelled();
            }
        };
    }

    private double test(ComputationGraph g, LoadedModel shape, Progress progress) {
        progress.checkCancelled();
        return Evaluator.evaluate(g, shape, data.test(), Progress.none()).top1();
    }

    private static long weights(PlanApplier a) {
        long n = 0;
        for (String l : a.originals().layers()) {
            n += a.originals().weights(l).length;
        }
        return n;
    }

    private static long nonZero(ComputationGraph g, PlanApplier a) {
        long nz = 0;
        for (String l : a.originals().layers()) {
            for (float v : g.getLayer(l).getParam("W").dup('c').data().asFloat()) {
                if (v != 0f) {
                    nz++;
                }
            }
        }
        return nz;
    }
}
