package io.lathe.export;

import io.lathe.compress.CompressedModel;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.eval.BnReestimator;
import io.lathe.compress.PlanJson;
import io.lathe.data.Fingerprints;
import io.lathe.data.LabeledImages;
import io.lathe.eval.LatencyMeter;
import io.lathe.eval.Predictor;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reloads each staged artifact on its own (from the bytes on disk, nothing shared with the objects
 * that wrote it), evaluates it on the test split and records checks: plan re-applied gives the same
 * predictions, DL4J zips and packed files restore the exact parameters, ONNX agrees with DL4J.
 */
final class ArtifactVerifier {
    /** ONNX must agree with DL4J on at least this fraction of test images. */
    static final double ONNX_AGREEMENT = 0.999;

    private final LoadedModel model;
    private final LayerTree tree;
    private final LabeledImages test;
    private final LabeledImages training;
    private final CompressedModel cm;
    private final BatchNormFolding.Folded folded;
    private final int[] expected;
    private final int[] planned;
    private final ExportOptions options;
    private final ArtifactNames names;
    private final StagedOutput out;

    ArtifactVerifier(LoadedModel model, LayerTree tree, LabeledImages test, LabeledImages training, CompressedModel cm,
                     BatchNormFolding.Folded folded, int[] expected, int[] planned, ExportOptions options,
                     ArtifactNames names, StagedOutput out) {
        this.planned = planned;
        this.model = model;
        this.training = training;
        this.tree = tree;
        this.test = test;
        this.cm = cm;
        this.folded = folded;
        this.expected = expected;
        this.options = options;
        this.names = names;
        this.out = out;
    }

    List<ExportResult.Artifact> verifyAll(List<ExportResult.Check> checks, Progress progress) throws Exception {
        List<ExportResult.Artifact> arts = new ArrayList<>();
        int steps = options.onnx() ? (options.int8() ? 7 : 6) : 5;
        int step = 0;
        arts.add(plan(checks, progress.range(step / (double) steps, ++step / (double) steps)));
        arts.add(dl4j(names.zip(), "DL4J model (BN kept)", cm.graph(), checks, true,
                progress.range(step / (double) steps, ++step / (double) steps)));
        arts.add(dl4j(names.foldedZip(), "DL4J model (BN folded)", folded.graph(), checks, false,
                progress.range(step / (double) steps, ++step / (double) steps)));
        arts.add(packed(names.packed(), "packed, BN folded", BatchNormFolding.foldedArchitecture(cm.graph()),
                folded.graph(), checks, progress.range(step / (double) steps, ++step / (double) steps)));
        arts.add(packed(names.packedExact(), "packed, BN kept", freshArchitecture(cm.graph()), cm.graph(), checks,
                progress.range(step / (double) steps, ++step / (double) steps)));
        if (options.onnx()) {
            double fp32Latency = Double.NaN;
            ExportResult.Artifact a = onnx(names.onnx(), "ONNX fp32", checks, Double.NaN,
                    progress.range(step / (double) steps, ++step / (double) steps));
            arts.add(a);
            fp32Latency = a.latencyMs();
            if (options.int8()) {
                arts.add(onnx(names.onnxInt8(), "ONNX INT8", checks, fp32Latency,
                        progress.range(step / (double) steps, ++step / (double) steps)));
            }
        }
        return arts;
    }

    private ExportResult.Artifact plan(List<ExportResult.Check> checks, Progress p) throws Exception {
        Path f = out.staged(names.plan());
        String text = Files.readString(f, StandardCharsets.UTF_8);
        String name = names.plan();
        try {
            Plan reread = PlanJson.read(text, tree, model.sha256());
            CompressedModel again = new PlanApplier(model, tree).apply(reread);
            BnReestimator.calibrate(again.graph(), tree, reread, training, p);
            int[] pred = Predictor.predict(again.graph(), test, Predictor.DEFAULT_BATCH, p);
            double top1 = Predictor.accuracy(pred, test);
            checks.add(new ExportResult.Check(name, "re-read and re-applied: same test predictions",
                    java.util.Arrays.equals(pred, planned), pct(top1) + " top-1, " + agreeText(pred, planned)));
            return artifact(name, "plan", f, top1, Double.NaN);
        } catch (Exception e) {
            checks.add(new ExportResult.Check(name, "re-read and re-applied", false, e.getMessage()));
            return artifact(name, "plan", f, Double.NaN, Double.NaN);
        }
    }

    private ExportResult.Artifact dl4j(String name, String kind, ComputationGraph reference, List<ExportResult.Check> checks,
                                       boolean identical, Progress p) throws Exception {
        Path f = out.staged(name);
        ComputationGraph g;
        try {
            g = ModelSerializer.restoreComputationGraph(f.toFile(), false);
        } catch (Exception e) {
            checks.add(new ExportResult.Check(name, "loads with DL4J ModelSerializer", false, e.getMessage()));
            return artifact(name, kind, f, Double.NaN, Double.NaN);
        }
        checks.add(new ExportResult.Check(name, "loads with DL4J ModelSerializer; parameters bit-identical",
                sameBits(g, reference), g.numParams() + " parameters"));
        int[] pred = Predictor.predict(g, test, Predictor.DEFAULT_BATCH, p.range(0, 0.8));
        double top1 = Predictor.accuracy(pred, test);
        double agree = agreement(pred);
        if (identical) {
            checks.add(new ExportResult.Check(name, "test predictions identical to the compressed model",
                    agree == 1.0, pct(top1) + " top-1, " + agreeText(pred)));
        } else {
            checks.add(new ExportResult.Check(name, "test predictions agree with the compressed model on >= 99.9%",
                    agree >= ONNX_AGREEMENT, pct(top1) + " top-1, " + agreeText(pred)));
        }
        double latency = options.latencyRepeats() == 0 ? Double.NaN : LatencyMeter.measure(g, model.inputShape(), false,
                options.latencyBatch(), 3, options.latencyRepeats(), p.range(0.8, 1)).medianMs();
        return artifact(name, kind, f, top1, latency);
    }

    private ExportResult.Artifact packed(String name, String kind, ComputationGraph architecture, ComputationGraph reference,
                                         List<ExportResult.Check> checks, Progress p) throws Exception {
        Path f = out.staged(name);
        try {
            long t0 = System.nanoTime();
            PackedFile.Read read = PackedFile.read(Files.readAllBytes(f));
            Packer.restore(read, architecture);
            double decodeMs = (System.nanoTime() - t0) / 1e6;
            checks.add(new ExportResult.Check(name, "checksum ok; restores the exact parameters (bit for bit)",
                    sameBits(architecture, reference), String.format(Locale.ROOT, "decoded in %.0f ms", decodeMs)));
            int[] pred = Predictor.predict(architecture, test, Predictor.DEFAULT_BATCH, p);
            double top1 = Predictor.accuracy(pred, test);
            checks.add(new ExportResult.Check(name, "restored model's test predictions agree with the compressed model on >= 99.9%",
                    agreement(pred) >= ONNX_AGREEMENT, pct(top1) + " top-1, " + agreeText(pred)));
            return artifact(name, kind, f, top1, Double.NaN);
        } catch (PackedFormatException e) {
            checks.add(new ExportResult.Check(name, "reads and restores", false, e.getMessage()));
            return artifact(name, kind, f, Double.NaN, Double.NaN);
        }
    }

    private ExportResult.Artifact onnx(String name, String kind, List<ExportResult.Check> checks, double fp32Latency,
                                       Progress p) throws Exception {
        Path f = out.staged(name);
        try (OnnxRunner r = new OnnxRunner(Files.readAllBytes(f))) {
            int[] pred = r.predict(test, Predictor.DEFAULT_BATCH, p.range(0, 0.7));
            double top1 = Predictor.accuracy(pred, test);
            double latency = options.latencyRepeats() == 0 ? Double.NaN : r.latency(model.inputShape(),
                    options.latencyBatch(), 5, options.latencyRepeats(), p.range(0.7, 1)).medianMs();
            if (Double.isNaN(fp32Latency)) {
                checks.add(new ExportResult.Check(name, "ONNX Runtime predictions agree with DL4J on >= 99.9%",
                        agreement(pred) >= ONNX_AGREEMENT, pct(top1) + " top-1, " + agreeText(pred)));
            } else {
                Map<String, Integer> ops = OnnxRunner.optimizedOps(Files.readAllBytes(f));
                int convs = (int) graphConvCount();
                int fused = ops.getOrDefault("QLinearConv", 0) + ops.getOrDefault("ConvInteger", 0);
                checks.add(new ExportResult.Check(name, "ONNX Runtime runs integer convolution kernels",
                        fused == convs && convs > 0, fused + " of " + convs + " convolutions run as QLinearConv/ConvInteger; "
                        + ops.getOrDefault("QLinearAdd", 0) + " QLinearAdd"));
                double drop = 100 * (Predictor.accuracy(expected, test) - top1);
                checks.add(new ExportResult.Check(name, "runs in ONNX Runtime; top-1 within 1 point of DL4J",
                        drop <= 1.0, pct(top1) + " top-1 (" + String.format(Locale.ROOT, "%+.2f", -drop) + " pt), "
                        + agreeText(pred)));
                if (!Double.isNaN(latency)) {
                    checks.add(new ExportResult.Check(name, "latency below fp32 ONNX at batch " + options.latencyBatch(),
                            latency < fp32Latency, String.format(Locale.ROOT, "%.1f ms vs %.1f ms (%.2fx)", latency,
                            fp32Latency, fp32Latency / latency)));
                }
            }
            return artifact(name, kind, f, top1, latency);
        } catch (ai.onnxruntime.OrtException e) {
            checks.add(new ExportResult.Check(name, "loads in ONNX Runtime", false, e.getMessage()));
            return artifact(name, kind, f, Double.NaN, Double.NaN);
        }
    }

    private long graphConvCount() {
        return java.util.Arrays.stream(folded.graph().getVertices()).filter(v -> v.hasLayer()
                && v.getLayer().conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer).count();
    }

    /**
     * The check that the network with real factorized layers (what every artifact holds) predicts what
     * the plan does in the original structure (what the window previews and {@code eval --plan} measures).
     */
    ExportResult.Check factorizedCheck() {
        return new ExportResult.Check("factorized layers", "the network with two smaller layers per factorized layer "
                + "agrees with the plan's preview on >= 99.9%", agreement(expected, planned) >= ONNX_AGREEMENT,
                pct(Predictor.accuracy(expected, test)) + " top-1 (preview " + pct(Predictor.accuracy(planned, test))
                        + "), " + agreeText(expected, planned));
    }

    /** A network with {@code g}'s architecture and freshly initialised parameters (to restore into). */
    private static ComputationGraph freshArchitecture(ComputationGraph g) {
        ComputationGraph fresh = new ComputationGraph(g.getConfiguration().clone());
        fresh.init();
        return fresh;
    }

    private double agreement(int[] pred) {
        return agreement(pred, expected);
    }

    private String agreeText(int[] pred) {
        return agreeText(pred, expected);
    }

    private static double agreement(int[] pred, int[] reference) {
        int same = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == reference[i]) {
                same++;
            }
        }
        return pred.length == 0 ? 1 : (double) same / pred.length;
    }

    private static String agreeText(int[] pred, int[] reference) {
        int same = (int) Math.round(agreement(pred, reference) * pred.length);
        return same + " / " + pred.length + " predictions equal to the compressed DL4J model";
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static boolean sameBits(ComputationGraph a, ComputationGraph b) {
        float[] x = a.params().dup('c').data().asFloat();
        float[] y = b.params().dup('c').data().asFloat();
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                return false;
            }
        }
        return true;
    }

    private static ExportResult.Artifact artifact(String name, String kind, Path f, double top1, double latency)
            throws java.io.IOException {
        return new ExportResult.Artifact(name, kind, Files.size(f), Fingerprints.of(Files.readAllBytes(f)), top1, latency);
    }
}
