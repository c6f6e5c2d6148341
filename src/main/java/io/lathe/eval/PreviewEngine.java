package io.lathe.eval;

import io.lathe.compress.CompressedModel;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures a plan's validation accuracy progressively: first on a growing class-stratified sample
 * (estimates with 95% intervals), then on the whole split (exact). Engine thread only.
 */
public final class PreviewEngine {
    private static final int[] STEPS = {250, 500, 1000, 2000};
    private final PlanApplier applier;
    private final LabeledImages validation;
    private final LabeledImages stratified;

    public PreviewEngine(PlanApplier applier, LabeledImages validation) {
        this.applier = applier;
        this.validation = validation;
        this.stratified = validation.select(stratifiedOrder(validation), "validation (stratified order)");
    }

    /** The applier (model, tree, original weights) this engine previews with. */
    public PlanApplier applier() {
        return applier;
    }

    /** Runs the preview, calling {@code onUpdate} with each estimate and finally the exact result. */
    public PreviewUpdate preview(Plan plan, Consumer<PreviewUpdate> onUpdate, Progress progress) {
        CompressedModel cm = applier.apply(plan);
        ComputationGraph net = cm.graph();
        int n = stratified.size();
        int[] pred = new int[n];
        int done = 0;
        int correct = 0;
        List<Integer> steps = new ArrayList<>();
        for (int s : STEPS) {
            if (s < n) {
                steps.add(s);
            }
        }
        steps.add(n);
        for (int step : steps) {
            progress.checkCancelled();
            LabeledImages chunk = stratified.slice(done, step, "chunk");
            int[] p = Predictor.predict(net, chunk, Predictor.DEFAULT_BATCH, applier.model().channelsLast(),
                    progress.range((double) done / n, (double) step / n));
            System.arraycopy(p, 0, pred, done, p.length);
            for (int i = 0; i < p.length; i++) {
                if (p[i] == chunk.label(i)) {
                    correct++;
                }
            }
            done = step;
            double top1 = (double) correct / done;
            boolean exact = done == n;
            PreviewUpdate u = new PreviewUpdate(plan, top1, done, n,
                    exact ? 0 : Intervals.sampledHalfWidth(top1, done, n), exact, cm.stats(), false);
            onUpdate.accept(u);
            if (exact) {
                return u;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Validation indices ordered so that every prefix holds the classes in equal shares (round-robin). */
    public static int[] stratifiedOrder(LabeledImages images) {
        int k = images.classes();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < images.size(); i++) {
            byClass.get(images.label(i)).add(i);
        }
        int[] out = new int[images.size()];
        int pos = 0;
        int[] next = new int[k];
        while (pos < out.length) {
            for (int c = 0; c < k; c++) {
                if (next[c] < byClass.get(c).size()) {
                    out[pos++] = byClass.get(c).get(next[c]++);
                }
            }
        }
        return out;
    }
}
