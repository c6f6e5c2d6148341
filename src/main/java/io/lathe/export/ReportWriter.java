package io.lathe.export;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Writes the export report: an HTML page (charts as PNG files beside it) and a CSV of per-layer figures. */
final class ReportWriter {
    private final ArtifactNames names;

    ReportWriter(ArtifactNames names) {
        this.names = names;
    }

    void write(ExportResult r, Plan plan, StagedOutput out) throws IOException {
        out.write(names.chartLayers(), ReportCharts.layers(r.layers()));
        out.write(names.chartAccuracy(), ReportCharts.accuracy(r.top1Before(), r.artifacts()));
        out.write(names.reportCsv(), csv(r).getBytes(StandardCharsets.UTF_8));
        out.write(names.reportHtml(), html(r, plan).getBytes(StandardCharsets.UTF_8));
    }

    static String csv(ExportResult r) {
        StringBuilder sb = new StringBuilder("section,name,granularity,sparsity,bits,weights,nonzero,packed_bytes,macs,nonzero_macs\n");
        for (ExportResult.LayerRow l : r.layers()) {
            sb.append(String.format(Locale.ROOT, "layer,%s,%s,%.4f,%d,%d,%d,%d,%d,%d%n", l.name(), l.granularity(),
                    l.sparsity(), l.bits(), l.weights(), l.nonZero(), l.packedBytes(), l.macs(), l.nonZeroMacs()));
        }
        sb.append("section,name,kind,bytes,ratio_vs_fp32,test_top1,latency_ms,sha256\n");
        for (ExportResult.Artifact a : r.artifacts()) {
            String ratio = "plan".equals(a.kind()) ? "" : String.format(Locale.ROOT, "%.2f", r.sizes().ratio(a.bytes()));
            sb.append(String.format(Locale.ROOT, "artifact,%s,%s,%d,%s,%s,%s,%s%n", q(a.name()), q(a.kind()), a.bytes(),
                    ratio, num(a.top1()), num(a.latencyMs()), a.sha256()));
        }
        ExportResult.Sizes s = r.sizes();
        sb.append(String.format(Locale.ROOT, "size,fp32 parameters,,%d,1.00,,,%n", s.fp32Bytes()));
        sb.append(String.format(Locale.ROOT, "size,gzip of sparse fp32 parameters,,%d,%.2f,,,%n", s.gzipBytes(), s.ratio(s.gzipBytes())));
        sb.append(String.format(Locale.ROOT, "accuracy,test top-1 before,,,,%.4f,,%n", r.top1Before()));
        sb.append(String.format(Locale.ROOT, "accuracy,test top-1 after,,,,%.4f,,%n", r.top1After()));
        sb.append("section,artifact,check,passed,detail\n");
        for (ExportResult.Check c : r.checks()) {
            sb.append("check,").append(q(c.artifact())).append(',').append(q(c.check())).append(',').append(c.passed())
                    .append(',').append(q(c.detail())).append('\n');
        }
        r.versions().forEach((k, v) -> sb.append("version,").append(q(k)).append(",").append(q(v)).append('\n'));
        r.fingerprints().forEach((k, v) -> sb.append("fingerprint,").append(q(k)).append(",").append(q(v)).append('\n'));
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String q(String s) {
        String v = s == null ? "" : s;
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    String html(ExportResult r, Plan plan) {
        ExportResult.Sizes s = r.sizes();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Lathe export: ").append(e(names.model()))
                .append("</title><style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
                        + "margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}"
                        + "td:first-child,th:first-child{text-align:left}.pass{color:#16702a;font-weight:bold}"
                        + ".fail{color:#b00020;font-weight:bold}</style></head><body>");
        h.append("<h1>Lathe export: ").append(e(names.model())).append("</h1>");
        h.append("<p>").append(r.passed() ? "<span class=pass>All checks passed.</span>"
                : "<span class=fail>Some checks failed (see below).</span>").append("</p>");
        h.append(String.format(Locale.ROOT, "<h2>Accuracy (test split, %d images)</h2><p>Before: %.2f%% &nbsp; After "
                + "(compressed DL4J model): %.2f%% &nbsp; Change: %+.2f points</p>", r.testImages(), 100 * r.top1Before(),
                100 * r.top1After(), 100 * (r.top1After() - r.top1Before())));
        h.append("<img src=\"").append(e(names.chartAccuracy())).append("\" alt=\"accuracy chart\">");
        h.append("<h2>Sizes</h2><table><tr><th>what</th><th>bytes</th><th>fp32 / this</th></tr>");
        row(h, "fp32 parameters (4 bytes × all parameters, BN included)", s.fp32Bytes(), 1);
        row(h, "gzip of the compressed model's raw fp32 parameters", s.gzipBytes(), s.ratio(s.gzipBytes()));
        row(h, "DL4J zip (no updater)", s.zipBytes(), s.ratio(s.zipBytes()));
        row(h, "packed .lathe, BN kept (exact DL4J parameters)", s.packedExactBytes(), s.ratio(s.packedExactBytes()));
        row(h, "packed .lathe, BN folded", s.packedBytes(), s.ratio(s.packedBytes()));
        h.append("</table>");
        h.append(String.format(Locale.ROOT, "<p>Gzip alone (which also exploits the zeros) gives %.1fx; the packed "
                + "format is %.1fx smaller than that gzip, so of its %.1fx, gzip-style coding accounts for %.1fx.</p>",
                s.ratio(s.gzipBytes()), (double) s.gzipBytes() / s.packedBytes(), s.ratio(s.packedBytes()),
                s.ratio(s.gzipBytes())));
        h.append("<h2>Verification</h2><table><tr><th>artifact</th><th>check</th><th>result</th><th>detail</th></tr>");
        for (ExportResult.Check c : r.checks()) {
            h.append("<tr><td>").append(e(c.artifact())).append("</td><td>").append(e(c.check())).append("</td><td class=")
                    .append(c.passed() ? "pass>pass" : "fail>FAIL").append("</td><td>").append(e(c.detail())).append("</td></tr>");
        }
        h.append("</table><h2>Artifacts</h2><table><tr><th>file</th><th>kind</th><th>bytes</th><th>test top-1</th>"
                + "<th>latency (ms / batch ").append(r.artifacts().isEmpty() ? "" : "").append(")</th><th>sha256</th></tr>");
        for (ExportResult.Artifact a : r.artifacts()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%,d</td><td>%s</td><td>%s</td><td>%s</td></tr>",
                    e(a.name()), e(a.kind()), a.bytes(), Double.isNaN(a.top1()) ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * a.top1()),
                    Double.isNaN(a.latencyMs()) ? "" : String.format(Locale.ROOT, "%.1f", a.latencyMs()), e(a.sha256().substring(0, 16)) + "…"));
        }
        h.append("</table><h2>Layers</h2><img src=\"").append(e(names.chartLayers())).append("\" alt=\"layer chart\">");
        h.append("<table><tr><th>layer</th><th>granularity</th><th>sparsity</th><th>bits</th><th>weights</th><th>non-zero</th>"
                + "<th>packed bytes</th><th>MACs</th><th>non-zero MACs</th></tr>");
        for (ExportResult.LayerRow l : r.layers()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%.1f%%</td><td>%d</td><td>%,d</td><td>%,d</td>"
                    + "<td>%,d</td><td>%,d</td><td>%,d</td></tr>", e(l.name()), e(l.granularity()), 100 * l.sparsity(),
                    l.bits(), l.weights(), l.nonZero(), l.packedBytes(), l.macs(), l.nonZeroMacs()));
        }
        h.append("</table><h2>Reproduction</h2><table>");
        for (Map.Entry<String, String> v : r.versions().entrySet()) {
            h.append("<tr><td>").append(e(v.getKey())).append("</td><td>").append(e(v.getValue())).append("</td></tr>");
        }
        for (Map.Entry<String, String> v : r.fingerprints().entrySet()) {
            h.append("<tr><td>").append(e(v.getKey())).append("</td><td>").append(e(v.getValue())).append("</td></tr>");
        }
        h.append("</table><h3>Plan</h3><pre>").append(e(PlanJson.write(plan))).append("</pre></body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String what, long bytes, double ratio) {
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%.1fx</td></tr>", e(what), bytes, ratio));
    }

    private static String e(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
