package io.lathe.sensitivity;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.PlanApplier;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench sweep}: the default sparsity sweep over every prunable layer measured two ways in one
 * run — naive (the whole network per layer and level, Lathe's tuned engine) and Lathe's sweep job
 * (suffix engine, fresh store so nothing is reused) — with the wall time of each and the largest
 * accuracy difference between them.
 */
public final class SweepBench {
    private SweepBench() {
    }

    /** Runs both sweeps on {@code images}; returns the figures as an ordered map. */
    public static Map<String, Object> run(LoadedModel model, LabeledImages images, int batch, long memoryBudget,
                                          Progress progress) {
        LayerTree tree = LayerTree.of(model);
        PlanApplier applier = new PlanApplier(model, tree);
        SweepSpec spec = SweepSpec.defaults(tree).sparsityOnly();
        Path tmp;
        try {
            tmp = Files.createTempDirectory("lathe-bench-sweep");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            long t0 = System.nanoTime();
            SensitivityCurves lathe = new SensitivitySweep(applier, images, spec,
                    new SuffixSweepEngine(applier, images, batch, memoryBudget), new SweepStore(tmp), null)
                    .run(progress.range(0, 0.3));
            double latheSec = (System.nanoTime() - t0) / 1e9;

            long t1 = System.nanoTime();
            Map<String, double[]> naive = naiveSweep(applier, images, spec, batch, progress.range(0.3, 1));
            double naiveSec = (System.nanoTime() - t1) / 1e9;

            double maxAbsDiff = 0;
            int points = 0;
            for (String layer : spec.layers()) {
                double[] a = naive.get(layer);
                LayerCurve c = lathe.curve(layer);
                for (int k = 0; k < spec.sparsities().length; k++) {
                    Double b = c.sparsity().get(spec.sparsities()[k]);
                    maxAbsDiff = Math.max(maxAbsDiff, b == null ? Double.POSITIVE_INFINITY : Math.abs(a[k] - b));
                    points++;
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("naiveSec", round(naiveSec));
            out.put("latheSec", round(latheSec));
            out.put("speedup", round(naiveSec / latheSec));
            out.put("maxAbsDiff", maxAbsDiff);
            out.put("model", model.name());
            out.put("images", images.size());
            out.put("layers", spec.layers().size());
            out.put("levels", spec.sparsities());
            out.put("points", points);
            out.put("batch", batch);
            out.put("baselineTop1", lathe.baseline());
            return out;
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** The naive sweep: accuracy per layer and level, whole network each time. */
    static Map<String, double[]> naiveSweep(PlanApplier applier, LabeledImages images, SweepSpec spec, int batch,
                                            Progress progress) {
        NaiveSweepEngine engine = new NaiveSweepEngine(applier, images, batch);
        Map<String, double[]> out = new LinkedHashMap<>();
        List<String> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            String layer = layers.get(i);
            List<CompressedLayer> variants = new ArrayList<>();
            for (double s : spec.sparsities()) {
                variants.add(Variants.pruned(applier, layer, spec.granularity(), spec.blockShape(), s));
            }
            double[] acc = new double[variants.size()];
            engine.run(layer, variants, (v, pred) -> {
                acc[v] = Predictor.accuracy(pred, images);
                return true;
            }, progress.range((double) i / layers.size(), (i + 1.0) / layers.size()));
            out.put(layer, acc);
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            dir.toFile().deleteOnExit();
        }
    }
}
