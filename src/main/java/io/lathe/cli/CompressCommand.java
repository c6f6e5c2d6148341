package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.compress.Plan;
import io.lathe.data.DataSplits;
import io.lathe.export.ExportJob;
import io.lathe.export.ExportOptions;
import io.lathe.export.ExportResult;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code compress}: exports a plan's compressed model (plan, DL4J zips, packed, ONNX, report) and verifies it. */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Export and verify: plan file, compressed DL4J models, packed .lathe files, ONNX (fp32, INT8), report.")
final class CompressCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    ModelOptions models;

    @Option(names = "--plan", description = "Plan file to apply (default: none, e.g. a model already pruned "
            + "physically or fine-tuned with its weights final).")
    Path plan;

    @Option(names = "--out", required = true, description = "Folder to write into (created if missing).")
    Path out;

    @Option(names = "--force", description = "Overwrite files that already exist in the folder.")
    boolean force;

    @Option(names = "--no-onnx", description = "Skip the ONNX models.")
    boolean noOnnx;

    @Option(names = "--no-int8", description = "Skip the INT8 ONNX model.")
    boolean noInt8;

    @Option(names = "--test-limit", defaultValue = "0", description = "Evaluate only the first N test images (0 = all).")
    int testLimit;

    @Option(names = "--latency-repeats", defaultValue = "30", description = "Timed calls per latency figure (0 = skip).")
    int repeats;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        Plan p = plan == null ? Plan.empty(m.name(), m.sha256()) : ModelOptions.readPlan(plan, m, tree);
        DataSplits data = models.loadData(m);
        ExportOptions o = new ExportOptions(!noOnnx, !noOnnx && !noInt8, 1000, 64, repeats, testLimit);
        Progress progress = common.json ? Progress.none() : new Progress() {
            private String last = "";

            @Override
            public void update(double fraction, String message) {
                if (!message.equals(last) && !message.startsWith("evaluated") && !message.startsWith("timing")
                        && !message.startsWith("ONNX Runtime:") && !message.startsWith("calibrating")) {
                    System.err.printf(Locale.ROOT, "[%3.0f%%] %s%n", 100 * fraction, message);
                    last = message;
                }
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        ExportResult r = new ExportJob(m, tree, p, data, out, force, o).run(progress);
        if (common.json) {
            Json.print(json(r));
        } else {
            print(r);
        }
        return r.passed() ? 0 : 1;
    }

    private static Map<String, Object> json(ExportResult r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("folder", r.folder().toString());
        j.put("passed", r.passed());
        j.put("testImages", r.testImages());
        j.put("top1Before", r.top1Before());
        j.put("top1After", r.top1After());
        ExportResult.Sizes s = r.sizes();
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("fp32Bytes", s.fp32Bytes());
        sizes.put("zipBytes", s.zipBytes());
        sizes.put("gzipBytes", s.gzipBytes());
        sizes.put("packedBytes", s.packedBytes());
        sizes.put("packedExactBytes", s.packedExactBytes());
        sizes.put("packedRatio", s.ratio(s.packedBytes()));
        sizes.put("packedExactRatio", s.ratio(s.packedExactBytes()));
        sizes.put("gzipRatio", s.ratio(s.gzipBytes()));
        sizes.put("zipRatio", s.ratio(s.zipBytes()));
        j.put("sizes", sizes);
        List<Map<String, Object>> arts = new ArrayList<>();
        for (ExportResult.Artifact a : r.artifacts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("kind", a.kind());
            m.put("bytes", a.bytes());
            m.put("top1", Double.isNaN(a.top1()) ? null : a.top1());
            m.put("latencyMs", Double.isNaN(a.latencyMs()) ? null : a.latencyMs());
            m.put("sha256", a.sha256());
            arts.add(m);
        }
        j.put("artifacts", arts);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (ExportResult.Check c : r.checks()) {
            checks.add(new LinkedHashMap<>(Map.of("artifact", c.artifact(), "check", c.check(), "passed", c.passed(),
                    "detail", c.detail() == null ? "" : c.detail())));
        }
        j.put("checks", checks);
        j.put("versions", r.versions());
        j.put("fingerprints", r.fingerprints());
        return j;
    }

    private static void print(ExportResult r) {
        ExportResult.Sizes s = r.sizes();
        System.out.printf(Locale.ROOT, "Exported to %s%n", r.folder());
        System.out.printf(Locale.ROOT, "Test top-1 (%d images): before %.2f%%, after %.2f%% (%+.2f pt)%n", r.testImages(),
                100 * r.top1Before(), 100 * r.top1After(), 100 * (r.top1After() - r.top1Before()));
        System.out.printf(Locale.ROOT, "Sizes: fp32 %,d B | gzip(sparse fp32) %,d B (%.1fx) | DL4J zip %,d B (%.1fx) | "
                        + "packed BN-kept %,d B (%.1fx) | packed BN-folded %,d B (%.1fx)%n", s.fp32Bytes(), s.gzipBytes(),
                s.ratio(s.gzipBytes()), s.zipBytes(), s.ratio(s.zipBytes()), s.packedExactBytes(),
                s.ratio(s.packedExactBytes()), s.packedBytes(), s.ratio(s.packedBytes()));
        System.out.println("Artifacts:");
        for (ExportResult.Artifact a : r.artifacts()) {
            System.out.printf(Locale.ROOT, "  %-44s %-24s %,10d B  %s  %s%n", a.name(), a.kind(), a.bytes(),
                    Double.isNaN(a.top1()) ? "" : String.format(Locale.ROOT, "top-1 %.2f%%", 100 * a.top1()),
                    Double.isNaN(a.latencyMs()) ? "" : String.format(Locale.ROOT, "%.1f ms/batch", a.latencyMs()));
        }
        System.out.println("Verification:");
        for (ExportResult.Check c : r.checks()) {
            System.out.printf(Locale.ROOT, "  %-4s %-44s %s — %s%n", c.passed() ? "PASS" : "FAIL", c.artifact(), c.check(),
                    c.detail());
        }
        System.out.println(r.passed() ? "All checks passed." : "Some checks FAILED.");
    }
}
