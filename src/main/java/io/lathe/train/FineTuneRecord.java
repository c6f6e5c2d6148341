package io.lathe.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PlanJson;
import io.lathe.compress.PruneSetting;
import io.lathe.engine.Engine;
import io.lathe.files.AtomicFiles;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoadException;
import io.lathe.model.ModelLoader;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the outputs of a fine-tune: the model zip, its plan ({@code name.plan.json}) and the JSON
 * record of the run ({@code name.json}: settings, per-epoch history, test top-1, wall time, command,
 * seed), then removes the run's checkpoints.
 */
public final class FineTuneRecord {
    public static final String FORMAT = "lathe-finetune-record";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FineTuneRecord() {
    }

    /** {@code out} without its extension, plus {@code suffix}. */
    public static Path sibling(Path out, String suffix) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
    }

    /** Where a run writing {@code out} keeps its checkpoints. */
    public static Path checkpointDir(Path out) {
        return sibling(out.toAbsolutePath(), ".checkpoints");
    }

    /** Size and sparsity figures of an exported network under the plan's quantization. */
    public static ModelStats stats(FineTuneResult r, LoadedModel student) throws ModelLoadException {
        LoadedModel exported = ModelLoader.fromGraph(student.name() + "-finetuned", r.model(), student.inputShape());
        PlanApplier a = new PlanApplier(exported, LayerTree.of(exported));
        Plan sizes = Plan.empty(exported.name(), exported.sha256());
        for (String l : a.originals().layers()) {
            // Prune exactly the weights that are zero (importance below the smallest positive double),
            // so the stated size counts the sparse encoding the export uses.
            sizes = sizes.with(l, new LayerSettings(PruneSetting.threshold(Granularity.ELEMENT, Double.MIN_VALUE),
                    r.plan().quantOf(l), false));
        }
        return a.stats(a.compressLayers(sizes));
    }

    /** Writes model, plan and record; returns the record. */
    public static Map<String, Object> write(Path out, FineTuneResult r, PlanApplier student, LoadedModel teacher,
                                            String teacherFile, Path planFile, FineTuneSettings s, double testTop1,
                                            double uncompressedTestTop1, String command, String studentSpec)
            throws IOException {
        Path abs = out.toAbsolutePath();
        AtomicFiles.write(abs, stream -> ModelSerializer.writeModel(r.model(), stream, false));
        Path planOut = sibling(abs, ".plan.json");
        // The plan written beside the model applies to that model (re-applying it changes nothing: the
        // pruned weights are the smallest and the quantized ones are on the grid); the base model is
        // recorded below.
        Plan written;
        try {
            written = r.plan().forModel(ModelLoader.baseName(abs), ModelLoader.sha256(abs));
        } catch (ModelLoadException e) {
            throw new IOException(e.getMessage(), e);
        }
        AtomicFiles.writeString(planOut, PlanJson.write(written));
        ModelStats st = stats(r, student.model());
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("format", FORMAT);
        rec.put("model", abs.getFileName().toString());
        rec.put("plan", planOut.getFileName().toString());
        rec.put("inputShape", student.model().inputShape());
        rec.put("preprocess", teacher.preprocessing().toNode());
        rec.put("planSource", planFile == null ? (studentSpec == null ? "generated (Erdős–Rényi-kernel split)"
                : "none (student)") : planFile.toString());
        rec.put("planAppliesTo", Map.of("name", String.valueOf(written.modelName()),
                "sha256", String.valueOf(written.modelSha256())));
        rec.put("baseModel", Map.of("name", teacher.name(), "file", teacherFile, "sha256", teacher.sha256()));
        if (studentSpec != null) {
            rec.put("student", studentSpec);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("epochs", s.epochs());
        settings.put("batch", s.batch());
        settings.put("optimizer", "Adam, lr " + s.learningRate() + " x1 / x0.3 at 50% / x0.1 at 75% / x0.03 at 90% of steps");
        settings.put("augmentation", s.augmentationOrNone().describe());
        settings.put("qat", s.qat());
        settings.put("distillation", s.distillation());
        settings.put("schedule", s.schedule() == null ? "none (masks from the plan at step 0)" : s.schedule());
        settings.put("limitTrain", s.limitTrain());
        rec.put("settings", settings);
        rec.put("seed", s.seed());
        rec.put("epochs", s.epochs());
        rec.put("history", r.history());
        rec.put("bestEpoch", r.bestEpoch());
        rec.put("validationTop1", r.validationTop1());
        rec.put("testTop1", testTop1);
        rec.put("uncompressedTestTop1", uncompressedTestTop1);
        Double sidecarTop1 = sampleSidecarTop1(teacherFile);
        if (sidecarTop1 != null) {
            rec.put("uncompressedSidecarTestTop1", sidecarTop1);
        }
        rec.put("sparsity", st.sparsity());
        rec.put("nonZeroParams", st.nonZeroParams());
        rec.put("weightParams", st.weightParams());
        rec.put("sizeBytes", st.sizeBytes());
        rec.put("fp32Bytes", st.fp32Bytes());
        rec.put("steps", r.steps());
        rec.put("resumedAtStep", r.resumedAtStep());
        rec.put("wallSeconds", Math.round(r.wallSeconds()));
        rec.put("engine", Engine.status().toString());
        rec.put("command", command);
        AtomicFiles.write(sibling(abs, ".json"), MAPPER.writeValueAsBytes(rec));
        new Checkpoints(checkpointDir(abs)).delete();
        return rec;
    }

    private static Double sampleSidecarTop1(String modelFile) {
        try {
            Path side = sibling(Path.of(modelFile), ".json");
            if (!Files.isRegularFile(side)) {
                return null;
            }
            JsonNode n = MAPPER.readTree(side.toFile()).get("testTop1");
            return n == null ? null : n.asDouble();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
