package io.lathe.cli;

import io.lathe.compress.Granularity;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import io.lathe.sensitivity.SweepSpec;
import io.lathe.sensitivity.SweepStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The sweep options shared by {@code sensitivity} and {@code allocate}. */
final class SweepOptions {
    @Option(names = "--granularity", defaultValue = "element",
            description = "Pruning granularity: element, block or channel (default ${DEFAULT-VALUE}).")
    String granularity;

    @Option(names = "--block", defaultValue = "1x4", description = "Block shape for block granularity (default ${DEFAULT-VALUE}).")
    String block;

    @Option(names = "--cache", description = "Folder for stored sweep results (default ~/.config/lathe/sensitivity).")
    Path cache;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N images of the split.")
    int limit;

    @Option(names = "--floor", description = "Early stopping: stop a layer's sweep once its accuracy falls below "
            + "this fraction (off by default; results are then labelled as stopped early).")
    Double floor;

    SweepStore store() {
        return new SweepStore(cache != null ? cache : SweepStore.defaultDir());
    }

    static List<String> layers(List<String> given, LayerTree tree) {
        if (given == null) {
            return tree.prunableLayers().stream().map(LayerInfo::name).toList();
        }
        return given.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    SweepSpec spec(List<String> layers, double[] sparsities, int[] bits) {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0");
        }
        return new SweepSpec(layers, sparsities, bits, Granularity.parse(granularity), block, floor);
    }

    static String levels(double[] s) {
        return Arrays.toString(s);
    }
}
