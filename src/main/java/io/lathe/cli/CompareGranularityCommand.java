package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.LabeledImages;
import io.lathe.eval.GranularityComparison;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code compare-granularity}: accuracy vs sparsity for element, block and channel pruning, with measured latency. */
@Command(name = "compare-granularity", mixinStandardHelpOptions = true,
        description = "Accuracy (validation, no fine-tuning) versus sparsity for element, block and channel "
                + "granularity, each with measured batch-64 latency (channel: physically smaller network).")
final class CompareGranularityCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;

    @Option(names = "--layer", description = "One layer to prune (default: every weight layer but the classifier).")
    String layer;

    @Option(names = "--sparsities", split = ",", defaultValue = "0.25,0.5,0.75",
            description = "Fractions removed (default ${DEFAULT-VALUE}).")
    double[] sparsities;

    @Option(names = "--images", defaultValue = "2000", description = "Validation images per point.")
    int images;

    @Option(names = "--repeats", defaultValue = "10", description = "Timed batch-64 calls per point.")
    int repeats;

    @Override
    public Integer call() throws Exception {
        for (double s : sparsities) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("--sparsities must be fractions in [0, 1), got " + s);
            }
        }
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        LabeledImages val = models.loadData(m).validation().limit(images);
        GranularityComparison.Result r = GranularityComparison.run(m, tree, layer, sparsities, val, repeats,
                Progress.none());
        if (common.json) {
            Json.print(r);
        } else {
            System.out.printf("%s, dense top-1 %.4f on %d validation images%n", r.scope(), r.denseTop1(), r.images());
            for (GranularityComparison.Series s : r.series()) {
                for (GranularityComparison.Point p : s.points()) {
                    System.out.printf("%-8s %4.0f%%  top-1 %.4f  batch-64 %7.2f ms (dense %7.2f, %.2fx)  params %d%n",
                            s.granularity().key(), 100 * p.sparsity(), p.top1(), p.batch64Ms(), p.denseBatch64Ms(),
                            p.speedup(), p.params());
                }
            }
        }
        return 0;
    }
}
