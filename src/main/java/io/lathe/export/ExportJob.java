package io.lathe.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PlanJson;
import io.lathe.data.DataSplits;
import io.lathe.data.Fingerprints;
import io.lathe.data.LabeledImages;
import io.lathe.eval.BnReestimator;
import io.lathe.eval.Predictor;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.structure.Factorized;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The export: writes the plan file, the compressed DL4J model (BatchNorm kept and folded), the packed
 * {@code .lathe} files, the ONNX models (fp32 and INT8) and the report into a folder, then reloads every
 * artifact independently, evaluates it on the test split and records a pass/fail table. All files are
 * staged and renamed into place only at the end ({@link StagedOutput}): a failed or cancelled export
 * leaves nothing behind. Runs on the engine thread (DL4J networks are not thread-safe).
 */
public final class ExportJob implements Job<ExportResult> {
    private final LoadedModel model;
    private final LayerTree tree;
    private final Plan plan;
    private final DataSplits data;
    private final Path folder;
    private final boolean overwrite;
    private final ExportOptions options;

    public ExportJob(LoadedModel model, LayerTree tree, Plan plan, DataSplits data, Path folder, boolean overwrite,
                     ExportOptions options) {
        this.model = model;
        this.tree = tree;
        this.plan = plan;
        this.data = data;
        this.folder = folder;
        this.overwrite = overwrite;
        this.options = options;
    }

    /** The file names an export of {@code modelName} writes (the Export dialog can check them for overwriting). */
    public static List<String> fileNames(String modelName, ExportOptions options) {
        ArtifactNames n = new ArtifactNames(modelName);
        List<String> out = new ArrayList<>(List.of(n.plan(), n.zip(), n.zipSidecar(), n.foldedZip(),
                n.foldedZipSidecar(), n.packed(), n.packedExact()));
        if (options.onnx()) {
            out.add(n.onnx());
            if (options.int8()) {
                out.add(n.onnxInt8());
            }
        }
        out.addAll(List.of(n.reportHtml(), n.reportCsv(), n.chartLayers(), n.chartAccuracy()));
        return out;
    }

    @Override
    public ExportResult run(Progress progress) throws Exception {
        if (model.channelsLast()) {
            throw new IllegalArgumentException("export supports NCHW models; this model expects NHWC input");
        }
        ArtifactNames names = new ArtifactNames(model.name());
        try (StagedOutput out = StagedOutput.open(folder, fileNames(model.name(), options), overwrite)) {
            progress.update(0.01, "applying the plan");
            Plan bound = plan.forModel(model.name(), model.sha256());
            CompressedModel cm = new PlanApplier(model, tree).apply(bound);
            if (bound.batchNormImages() > 0) {
                progress.update(0.015, "calibrating BatchNorm on " + bound.batchNormImages() + " training images");
                BnReestimator.calibrate(cm.graph(), tree, bound, data.train(), progress.range(0.015, 0.02));
            }
            LabeledImages test = options.testLimit() > 0 ? data.test().limit(options.testLimit()) : data.test();
            int[] before = Predictor.predict(model.graph(), test, Predictor.DEFAULT_BATCH, progress.range(0.02, 0.12));
            int[] planned = Predictor.predict(cm.graph(), test, Predictor.DEFAULT_BATCH, progress.range(0.12, 0.17));
            int[] after = planned;
            boolean factorized = Factorized.any(cm);
            if (factorized) {
                progress.update(0.17, "building the factorized layers");
                cm = Factorized.materialize(cm, tree);
                after = Predictor.predict(cm.graph(), test, Predictor.DEFAULT_BATCH, progress.range(0.17, 0.22));
            }
            BatchNormFolding.Folded folded = BatchNormFolding.fold(cm.graph(), cm.layers());
            progress.checkCancelled();

            progress.update(0.23, "writing the plan and the DL4J models");
            String planText = PlanJson.write(bound);
            out.write(names.plan(), planText.getBytes(StandardCharsets.UTF_8));
            ModelSerializer.writeModel(cm.graph(), out.newTemp(names.zip()).toFile(), false);
            ModelSerializer.writeModel(folded.graph(), out.newTemp(names.foldedZip()).toFile(), false);
            String planSha = Fingerprints.of(planText.getBytes(StandardCharsets.UTF_8));
            PreprocessRecord prep = PreprocessRecord.of(data);
            out.write(names.zipSidecar(), zipSidecar(prep, false, names.plan()));
            out.write(names.foldedZipSidecar(), zipSidecar(prep, true, names.plan()));
            progress.update(0.26, "packing");
            Map<String, WeightCoding> exactCodings = new LinkedHashMap<>();
            cm.layers().forEach((k, v) -> exactCodings.put(k, WeightCoding.of(v, null)));
            PackedFile.Written packed = Packer.pack(folded.graph(), folded.codings(), true, model.name(), model.sha256(), planSha,
                    prep.json());
            PackedFile.Written packedExact = Packer.pack(cm.graph(), exactCodings, false, model.name(), model.sha256(),
                    planSha, prep.json());
            out.write(names.packed(), packed.bytes());
            out.write(names.packedExact(), packedExact.bytes());
            progress.checkCancelled();
            if (options.onnx()) {
                progress.update(0.28, "writing ONNX");
                out.write(names.onnx(), prep.addTo(OnnxExporter.fp32(folded.graph(), model.inputShape(),
                        Versions.all().get("lathe"))));
                if (options.int8()) {
                    LabeledImages calib = data.validation().limit(options.calibrationImages());
                    Map<String, float[]> ranges = ActivationCalibrator.ranges(folded.graph(), model.inputShape(), calib,
                            250, progress.range(0.28, 0.32));
                    out.write(names.onnxInt8(), prep.addTo(OnnxExporter.int8(folded.graph(), model.inputShape(),
                            new OnnxExporter.Int8(ranges, folded.codings()), Versions.all().get("lathe"))));
                }
            }
            ArtifactVerifier verifier = new ArtifactVerifier(model, tree, test, data.train(), cm, folded, after, planned,
                    options, names, out);
            List<ExportResult.Check> checks = new ArrayList<>();
            if (factorized) {
                checks.add(verifier.factorizedCheck());
            }
            List<ExportResult.Artifact> artifacts = verifier.verifyAll(checks, progress.range(0.32, 0.92));
            ExportResult.Sizes sizes = new ExportResult.Sizes(4L * model.graph().numParams(),
                    java.nio.file.Files.size(out.staged(names.zip())), gzipSize(cm), packed.bytes().length,
                    packedExact.bytes().length);
            Map<String, String> fingerprints = new LinkedHashMap<>();
            fingerprints.put("model sha256", model.sha256());
            fingerprints.put("plan sha256", planSha);
            fingerprints.put("test data sha256", test.fingerprint());
            fingerprints.put("preprocessing", prep.preprocessing().describe());
            fingerprints.put("preprocessing JSON", prep.preprocessing().toJson());
            if (prep.pixelMean() != null) {
                fingerprints.put("per-pixel mean image", "from the training split, sha256 "
                        + prep.pixelMean().dataFingerprint());
            }
            fingerprints.put("calibration data", "first " + options.calibrationImages() + " validation images, sha256 "
                    + data.validation().limit(options.calibrationImages()).fingerprint());
            if (bound.batchNormImages() > 0) {
                LabeledImages bnData = data.train().limit(bound.batchNormImages());
                fingerprints.put("BatchNorm calibration data", "first " + bnData.size() + " training images, sha256 "
                        + bnData.fingerprint());
            }
            ExportResult result = new ExportResult(out.folder(), artifacts, checks, sizes,
                    Predictor.accuracy(before, test), Predictor.accuracy(after, test), test.size(),
                    layerRows(cm.stats(), packed.bytesPerVertex()), Versions.all(), fingerprints);
            progress.update(0.93, "writing the report");
            progress.checkCancelled();
            new ReportWriter(names).write(result, bound, out);
            progress.checkCancelled();
            out.commit();
            progress.update(1, result.passed() ? "export verified" : "export written; some checks failed");
            return withSizes(result, out.folder());
        }
    }

    /** The sidecar of an exported zip: input shape, preprocessing (with its mean image), base model, plan. */
    private byte[] zipSidecar(PreprocessRecord prep, boolean folded, String planFile) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("format", "lathe-export-sidecar");
        o.put("batchNormFolded", folded);
        ArrayNode shape = o.putArray("inputShape");
        for (int d : model.inputShape()) {
            shape.add(d);
        }
        ObjectNode record =
                (ObjectNode) mapper.readTree(prep.json());
        o.setAll(record);
        o.putObject("baseModel").put("name", model.name()).put("sha256", model.sha256());
        o.put("plan", planFile);
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    }

    private static ExportResult withSizes(ExportResult r, Path folder) throws IOException {
        List<ExportResult.Artifact> arts = new ArrayList<>();
        for (ExportResult.Artifact a : r.artifacts()) {
            arts.add(new ExportResult.Artifact(a.name(), a.kind(), java.nio.file.Files.size(folder.resolve(a.name())),
                    a.sha256(), a.top1(), a.latencyMs()));
        }
        return new ExportResult(r.folder(), arts, r.checks(), r.sizes(), r.top1Before(), r.top1After(), r.testImages(),
                r.layers(), r.versions(), r.fingerprints());
    }

    private static List<ExportResult.LayerRow> layerRows(ModelStats stats, Map<String, Long> packedBytes) {
        List<ExportResult.LayerRow> rows = new ArrayList<>();
        for (ModelStats.LayerStats l : stats.layers()) {
            rows.add(new ExportResult.LayerRow(l.name(), l.granularity(), l.sparsity(), l.bits(), l.weights(), l.nonZero(),
                    packedBytes.getOrDefault(l.name(), 0L), l.macs(), l.nonZeroMacs()));
        }
        return rows;
    }

    /** Size of gzip (default level) over the compressed model's parameters as raw little-endian fp32. */
    static long gzipSize(CompressedModel cm) throws IOException {
        float[] p = cm.graph().params().dup('c').data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(4 * p.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : p) {
            b.putFloat(v);
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(b.array());
        }
        return bos.size();
    }
}
