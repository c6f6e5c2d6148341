package io.lathe.sensitivity;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.Granularity;
import io.lathe.compress.PlanApplier;
import io.lathe.job.Progress;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs series on one {@link SweepEngine} in this process: each series' variants are built from the
 * original weights ({@link Variants}) and handed to the engine in one call, so the engine shares the
 * activations before the layer among them. The code every sweep measures with, on this machine or
 * inside a cluster task. Engine thread only.
 */
public final class LocalSeriesRunner implements SeriesRunner {
    private final PlanApplier applier;
    private final Granularity granularity;
    private final String blockShape;
    private final SweepEngine engine;

    public LocalSeriesRunner(PlanApplier applier, Granularity granularity, String blockShape, SweepEngine engine) {
        this.applier = applier;
        this.granularity = granularity;
        this.blockShape = blockShape;
        this.engine = engine;
    }

    @Override
    public int[] baseline(Progress progress) {
        return engine.baseline(progress);
    }

    @Override
    public void run(List<SweepSeries> series, Sink sink, Progress progress) {
        for (int i = 0; i < series.size(); i++) {
            SweepSeries s = series.get(i);
            Progress p = progress.range((double) i / series.size(), (i + 1.0) / series.size());
            p.update(0, s.layer() + ": preparing " + s.size() + " variants");
            List<CompressedLayer> variants = new ArrayList<>();
            for (double level : s.levels()) {
                variants.add(s.bits() ? Variants.quantized(applier, s.layer(), (int) level)
                        : Variants.pruned(applier, s.layer(), granularity, blockShape, level));
            }
            engine.run(s.layer(), variants, (v, pred) -> sink.accept(s, v, pred), p);
        }
    }
}
