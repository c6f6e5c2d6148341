package io.lathe.eval;

import io.lathe.compress.CompressedModel;
import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.job.Progress;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code bench preview}: drives {@link PreviewEngine} without a window through a fixed script of
 * single-layer sparsity changes on different layers (each a new plan differing from the previous
 * one in one layer) and measures, per change, the time from the change to the first estimate and
 * to the exact validation accuracy; checks some exact figures against a full {@link Evaluator} run.
 */
public final class PreviewBench {
    /** The script's starting plan: every layer at this element sparsity. */
    public static final double BASE_SPARSITY = 0.3;
    private static final double[] SLIDER = {0.45, 0.6, 0.2, 0.7, 0.5, 0.35, 0.8, 0.55};

    private PreviewBench() {
    }

    /** The script: {@code changes} plans, each one layer's sparsity away from the previous (layers in a fixed shuffled order). */
    public static List<Plan> script(LoadedModel model, LayerTree tree, int changes) {
        List<String> layers = new ArrayList<>(tree.prunableLayers().stream().map(LayerInfo::name).toList());
        Collections.shuffle(layers, new Random(20));
        if (changes > layers.size()) {
            throw new IllegalArgumentException("the model has " + layers.size() + " prunable layers; the script "
                    + "changes each at most once, so use --changes " + layers.size() + " or fewer");
        }
        Plan p = basePlan(model);
        List<Plan> out = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            p = p.with(layers.get(i), new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, SLIDER[i % SLIDER.length]),
                    null, false));
            out.add(p);
        }
        return out;
    }

    /** The plan the script starts from. */
    public static Plan basePlan(LoadedModel model) {
        return Plan.empty(model.name(), model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, BASE_SPARSITY), QuantSetting.NONE);
    }

    /**
     * Runs the script; {@code verify} of the plans (spread over the script, always the last) are
     * also evaluated the naive way (full apply + {@link Evaluator}) for timing and equality.
     */
    public static Map<String, Object> run(LoadedModel model, LabeledImages validation, BnReestimator reestimator,
                                          int changes, int verify, long budget, Progress progress) {
        Engine.configure();
        LayerTree tree = LayerTree.of(model);
        PlanApplier applier = new PlanApplier(model, tree);
        boolean bn = reestimator != null;
        List<Plan> plans = script(model, tree, changes).stream()
                .map(p -> bn ? p.withBatchNormImages(reestimator.images()) : p).toList();
        Plan basePlan = bn ? basePlan(model).withBatchNormImages(reestimator.images()) : basePlan(model);
        Map<String, Object> out = new LinkedHashMap<>();
        try (PreviewEngine engine = new PreviewEngine(applier, validation, budget, reestimator)) {
            long t0 = System.nanoTime();
            PreviewUpdate base = engine.preview(basePlan, bn, u -> { }, progress);
            double warm = (System.nanoTime() - t0) / 1e9;
            double[] first = new double[plans.size()];
            double[] exact = new double[plans.size()];
            List<Map<String, Object>> rows = new ArrayList<>();
            List<Integer> check = verifyIndices(plans.size(), verify);
            List<Double> naive = new ArrayList<>();
            double maxDiff = 0;
            int mismatches = 0;
            for (int i = 0; i < plans.size(); i++) {
                progress.checkCancelled();
                double[] firstAt = {-1};
                long c0 = System.nanoTime();
                PreviewUpdate u = engine.preview(plans.get(i), bn, x -> {
                    if (firstAt[0] < 0) {
                        firstAt[0] = (System.nanoTime() - c0) / 1e9;
                    }
                }, progress);
                exact[i] = (System.nanoTime() - c0) / 1e9;
                first[i] = firstAt[0];
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("layer", changedLayer(i == 0 ? basePlan : plans.get(i - 1), plans.get(i), tree));
                row.put("startedFrom", u.startedFrom());
                row.put("firstEstimateSec", round(first[i]));
                row.put("exactSec", round(exact[i]));
                row.put("top1", u.top1());
                if (check.contains(i)) {
                    long n0 = System.nanoTime();
                    CompressedModel cm = applier.apply(plans.get(i));
                    if (bn) {
                        reestimator.apply(cm.graph(), tree, plans.get(i), progress);
                    }
                    Evaluation e = Evaluator.evaluate(cm.graph(), model, validation, progress);
                    naive.add((System.nanoTime() - n0) / 1e9);
                    maxDiff = Math.max(maxDiff, Math.abs(e.top1() - u.top1()));
                    int[] mine = engine.lastPredictions();
                    for (int k = 0; k < mine.length; k++) {
                        mismatches += mine[k] == e.predictions()[k] ? 0 : 1;
                    }
                    row.put("evaluatorTop1", e.top1());
                }
                rows.add(row);
                progress.update((i + 1.0) / plans.size(), "change " + (i + 1) + " / " + plans.size());
            }
            out.put("model", model.name());
            out.put("changes", plans.size());
            out.put("firstEstimateMedianSec", round(median(first)));
            out.put("exactMedianSec", round(median(exact)));
            out.put("firstEstimateMaxSec", round(Arrays.stream(first).max().orElse(0)));
            out.put("exactMaxSec", round(Arrays.stream(exact).max().orElse(0)));
            out.put("naiveFullEvalMedianSec", round(median(naive.stream().mapToDouble(Double::doubleValue).toArray())));
            out.put("verifiedPlans", naive.size());
            out.put("maxAbsTop1DiffVsEvaluator", maxDiff);
            out.put("predictionMismatchesVsEvaluator", mismatches);
            out.put("bnReestimation", bn ? reestimator.images() + " training images" : "off");
            out.put("firstEstimateImages", Math.min(Predictor.DEFAULT_BATCH, validation.size()));
            out.put("validationImages", validation.size());
            out.put("warmupSec", round(warm));
            out.put("warmupTop1", base.top1());
            out.put("cachedCuts", engine.runner().cachedCuts().size());
            out.put("cacheMB", round(engine.runner().cacheBytes() / 1e6));
            out.put("engine", Engine.status().toString());
            out.put("timing", "wall time from the plan change (preview call) to the first estimate "
                    + "(one batch of stratified images) and to the exact figure; excludes the UI's debounce");
            out.put("perChange", rows);
        }
        return out;
    }

    private static String changedLayer(Plan before, Plan after, LayerTree tree) {
        for (LayerInfo l : tree.prunableLayers()) {
            if (!before.pruneOf(l.name()).equals(after.pruneOf(l.name()))) {
                return l.name();
            }
        }
        return "";
    }

    private static List<Integer> verifyIndices(int n, int verify) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < verify && k < n; k++) {
            int i = n - 1 - (int) Math.round((double) k * n / Math.max(1, verify));
            if (!out.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
