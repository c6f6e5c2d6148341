package io.lathe.spark;

import io.lathe.compress.Granularity;
import io.lathe.compress.PlanApplier;
import io.lathe.data.DataRequest;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.sensitivity.MemoryBudget;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.sensitivity.SensitivitySweep;
import io.lathe.sensitivity.SeriesRunner;
import io.lathe.sensitivity.SuffixSweepEngine;
import io.lathe.sensitivity.SweepSpec;
import io.lathe.sensitivity.SweepStore;

import java.nio.file.Path;
import java.util.List;

/**
 * The sample ResNet-8 on the first 300 bundled validation images (two batches, the second partial),
 * a small sweep over three layers, and the local sweep's curves to compare runs on Spark with.
 */
final class SparkFixture {
    static final int IMAGES = 300;
    final LoadedModel model;
    final PlanApplier applier;
    final DataRequest data;
    final LabeledImages images;
    final SweepSpec spec;

    SparkFixture() throws Exception {
        Engine.configure();
        model = ModelLoader.load(Path.of("sample-models/resnet8-fashion.zip"));
        applier = new PlanApplier(model, LayerTree.of(model));
        data = DataRequest.of(null, model.inputShape(), model.preprocessing(), null);
        images = data.open().validation().limit(IMAGES);
        spec = new SweepSpec(List.of("stage1.block0.conv1", "stage2.block0.conv2", "fc"), new double[]{0, 0.5, 0.9},
                new int[]{4}, Granularity.ELEMENT, "1x4", null);
    }

    SensitivityCurves localSweep(Path store) {
        return new SensitivitySweep(applier, images, spec,
                new SuffixSweepEngine(applier, images, Predictor.DEFAULT_BATCH, MemoryBudget.defaultBytes()),
                new SweepStore(store), null).run(Progress.none());
    }

    SensitivityCurves sweep(SeriesRunner runner, Path store) {
        return new SensitivitySweep(applier, images, spec, runner, new SweepStore(store), null).run(Progress.none());
    }

    ClusterPayload payload() {
        return ClusterPayload.of(model, data, "val", IMAGES, images);
    }
}
