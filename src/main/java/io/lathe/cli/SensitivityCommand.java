package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.data.DataRequest;
import io.lathe.data.DataSplits;
import io.lathe.files.AtomicFiles;
import io.lathe.files.Json;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.sensitivity.LayerCurve;
import io.lathe.sensitivity.SensitivityBucket;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.sensitivity.SweepSpec;
import io.lathe.session.LocalRunner;
import io.lathe.session.ModelRef;
import io.lathe.session.SweepRequest;
import io.lathe.session.SweepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sensitivity}: per-layer accuracy curves over sparsity levels and bit widths. */
@Command(name = "sensitivity", mixinStandardHelpOptions = true,
        description = "Measure each layer's accuracy with only that layer pruned (per sparsity) or quantized "
                + "(per bit width). Results are stored and reused; an interrupted sweep resumes.")
final class SensitivityCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;
    @Mixin
    SweepOptions sweep;
    @Mixin
    SparkOptions spark;

    @Option(names = "--split", defaultValue = "val", description = "train, val or test (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--sparsities", split = ",", description = "Sparsity levels as fractions "
            + "(default 0,0.1,...,0.9,0.95,0.98).")
    double[] sparsities;

    @Option(names = "--bits", split = ",", description = "Bit widths, 2..8, 16 or 32 (default 8,6,4,3,2).")
    int[] bits;

    @Option(names = "--layers", split = ",", description = "Layers to sweep (default: every prunable layer).")
    List<String> layers;

    @Option(names = "--csv", description = "Also write the curves as CSV to this file.")
    Path csv;

    @Override
    public Integer call() throws Exception {
        spark.check();
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        SweepSpec spec = sweep.spec(SweepOptions.layers(layers, tree), sparsities, bits);
        spec.checkAgainst(tree);
        DataRequest where = models.dataRequest(m);
        SweepRequest request = SweepRequest.of(ModelRef.of(m), where, split, sweep.limit, spec,
                sweep.store().dir().toString(), spark.master);
        DataSplits data = ModelOptions.loadData(m, where);
        SweepResult result = LocalRunner.on(m, data).run(request, new ConsoleProgress(false));
        SensitivityCurves curves = result.curves();
        if (csv != null) {
            writeCsv(curves, csv);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.name());
        out.put("sha256", m.sha256());
        out.put("split", request.split());
        out.put("images", curves.images());
        out.put("dataFingerprint", curves.dataFingerprint());
        out.put("granularity", spec.granularity().key());
        out.put("baselineTop1", curves.baseline());
        out.put("seconds", result.seconds());
        out.put("earlyStopFloor", spec.floor());
        out.put("store", result.store());
        out.put("spark", result.spark());
        out.put("csv", csv == null ? null : csv.toString());
        Map<String, SensitivityBucket> buckets = curves.buckets();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerCurve c : curves.layers()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", c.layer());
            r.put("weights", c.weights());
            Map<String, Double> sp = new LinkedHashMap<>();
            c.sparsity().forEach((k, v) -> sp.put(level(k), v));
            r.put("sparsity", sp);
            Map<String, Double> bw = new LinkedHashMap<>();
            c.bits().descendingMap().forEach((k, v) -> bw.put(Integer.toString(k), v));
            r.put("bits", bw);
            r.put("score", curves.score(c.layer()));
            r.put("bucket", buckets.containsKey(c.layer()) ? buckets.get(c.layer()).key() : null);
            r.put("stoppedEarly", c.stoppedEarly());
            rows.add(r);
        }
        out.put("layers", rows);
        if (common.json) {
            Json.print(out);
        } else {
            printTable(curves, spec, buckets, result.seconds());
        }
        return 0;
    }

    private static String level(double s) {
        return String.format(Locale.ROOT, "%.4f", s).replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }

    static void writeCsv(SensitivityCurves curves, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("layer,kind,level,accuracy,drop_points\n");
        for (LayerCurve c : curves.layers()) {
            c.sparsity().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s,sparsity,%s,%.6f,%.4f%n",
                    c.layer(), level(k), v, 100 * (curves.baseline() - v))));
            c.bits().descendingMap().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s,bits,%d,%.6f,%.4f%n",
                    c.layer(), k, v, 100 * (curves.baseline() - v))));
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    private static void printTable(SensitivityCurves curves, SweepSpec spec, Map<String, SensitivityBucket> buckets,
                                   double seconds) {
        System.out.printf("baseline top-1 %.2f%% on %d images; accuracy (%%) with only one layer compressed (%.1f s)%n",
                100 * curves.baseline(), curves.images(), seconds);
        StringBuilder head = new StringBuilder(String.format("%-30s", "layer"));
        for (double s : spec.sparsities()) {
            head.append(String.format(Locale.ROOT, " %6s", "s" + level(s)));
        }
        for (int b : spec.bits()) {
            head.append(String.format(" %5s", b + "b"));
        }
        System.out.println(head + "  score  bucket");
        for (LayerCurve c : curves.layers()) {
            StringBuilder row = new StringBuilder(String.format("%-30s", c.layer()));
            for (double s : spec.sparsities()) {
                Double a = c.sparsity().get(s);
                row.append(a == null ? String.format(" %6s", "-") : String.format(Locale.ROOT, " %6.2f", 100 * a));
            }
            for (int b : spec.bits()) {
                Double a = c.bits().get(b);
                row.append(a == null ? String.format(" %5s", "-") : String.format(Locale.ROOT, " %5.1f", 100 * a));
            }
            SensitivityBucket bucket = buckets.get(c.layer());
            row.append(String.format(Locale.ROOT, "  %5.2f  %s%s", curves.score(c.layer()),
                    bucket == null ? "-" : bucket.key(), c.stoppedEarly() ? " (stopped early)" : ""));
            System.out.println(row);
        }
    }
}
