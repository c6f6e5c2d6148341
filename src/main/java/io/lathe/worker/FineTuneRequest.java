package io.lathe.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanException;
import io.lathe.compress.PlanJson;
import io.lathe.data.Augmentation;
import io.lathe.data.Preprocessing;
import io.lathe.model.LoadedModel;
import io.lathe.session.FineTuneRun;
import io.lathe.session.Workspace;
import io.lathe.train.AgpSchedule;
import io.lathe.train.Distillation;
import io.lathe.train.FineTuneListener;
import io.lathe.train.FineTuneSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One fine-tune as immutable data, serialisable to one JSON line: everything a worker process needs to
 * rebuild the window's workspace and run the same {@link io.lathe.session.FineTuneRun}. Paths are
 * absolute; optional parts are null.
 *
 * @param modelFile      the model file the window opened
 * @param modelSha256    its SHA-256 as the window loaded it (the worker refuses another file)
 * @param teacherFile    the distillation teacher's file when it is not the model itself, or null
 * @param teacherSha256  its SHA-256, or null
 * @param dataFolder     the data folder, or null for the bundled Fashion-MNIST
 * @param preprocessing  the preprocessing the model gets (its JSON form)
 * @param planJson       the plan as a plan file's text, or null when a different student is trained
 * @param settings       the training settings (checkpoint folder and resume are the fields below)
 * @param studentSpec    null, "resnet8"/"resnet20" or a DL4J zip (see {@link io.lathe.session.FineTuneRun})
 * @param out            where the fine-tuned model zip goes
 * @param checkpointDir  the run's checkpoint folder
 * @param resume         continue from the checkpoint in that folder
 */
public record FineTuneRequest(Path modelFile, String modelSha256, Path teacherFile, String teacherSha256,
                              Path dataFolder, Preprocessing preprocessing, String planJson,
                              FineTuneSettings settings, String studentSpec, Path out, Path checkpointDir,
                              boolean resume) {
    public FineTuneRequest {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(checkpointDir, "checkpointDir");
    }

    /**
     * The request for a fine-tune of {@code ws} as the window would run it. Pure and quick: safe on the
     * FX thread. Whether a worker can run it is {@link #workerProblem(Workspace)}'s answer.
     */
    public static FineTuneRequest of(Workspace ws, Plan plan, FineTuneSettings settings, String studentSpec,
                                     Path out, Path checkpointDir, boolean resume) {
        LoadedModel teacher = ws.teacher();
        boolean ownTeacher = teacher.sha256().equals(ws.sha256());
        return new FineTuneRequest(Path.of(ws.origin()).toAbsolutePath(), ws.sha256(),
                ownTeacher ? null : Path.of(teacher.origin()).toAbsolutePath(), ownTeacher ? null : teacher.sha256(),
                ws.dataFolder().map(Path::toAbsolutePath).orElse(null), ws.preprocessingSettings(),
                plan == null ? null : PlanJson.write(plan), settings.withCheckpoints(null, settings.checkpointEvery(),
                false), studentSpec, out.toAbsolutePath(), checkpointDir.toAbsolutePath(), resume);
    }

    /**
     * Why a worker process cannot rebuild this workspace (a model or data that exists only in memory),
     * or null when it can.
     */
    public static String workerProblem(Workspace ws) {
        if (!isFile(ws.origin())) {
            return "the model exists only in memory";
        }
        LoadedModel teacher = ws.teacher();
        if (!teacher.sha256().equals(ws.sha256()) && !isFile(teacher.origin())) {
            return "the distillation teacher exists only in memory";
        }
        if (ws.data() == null || ws.dataFolder().isEmpty()) {
            return "the data exists only in memory";
        }
        return null;
    }

    private static boolean isFile(String origin) {
        try {
            return origin != null && Files.isRegularFile(Path.of(origin));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /**
     * The run this request describes, on {@code ws}: the window's own workspace, or the one a worker
     * rebuilt from this request. The one place a request becomes a {@link FineTuneRun}.
     */
    public FineTuneRun newRun(Workspace ws, FineTuneListener listener) throws PlanException {
        Plan plan = planJson == null ? null : ws.readPlan(planJson);
        return new FineTuneRun(ws, plan, settings, studentSpec, out, checkpointDir, resume, listener);
    }

    /** The request as one JSON object. */
    public ObjectNode toNode() {
        ObjectNode o = WorkerJson.MAPPER.createObjectNode();
        o.put("type", "finetune");
        o.put("modelFile", modelFile.toString());
        o.put("modelSha256", modelSha256);
        o.put("teacherFile", teacherFile == null ? null : teacherFile.toString());
        o.put("teacherSha256", teacherSha256);
        o.put("dataFolder", dataFolder == null ? null : dataFolder.toString());
        o.set("preprocessing", preprocessing.toNode());
        o.put("plan", planJson);
        o.set("settings", settingsNode(settings));
        o.put("student", studentSpec);
        o.put("out", out.toString());
        o.put("checkpointDir", checkpointDir.toString());
        o.put("resume", resume);
        return o;
    }

    /** The request as one line of JSON. */
    public String toJson() {
        return toNode().toString();
    }

    /** Reads a request line; a missing or malformed field is named in the exception. */
    public static FineTuneRequest fromJson(String line) {
        JsonNode n = WorkerJson.parse(line);
        if (!"finetune".equals(n.path("type").asText())) {
            throw new IllegalArgumentException("not a fine-tune request: \"type\" is " + n.path("type"));
        }
        return new FineTuneRequest(WorkerJson.path(n, "modelFile", true), WorkerJson.text(n, "modelSha256", true),
                WorkerJson.path(n, "teacherFile", false), WorkerJson.text(n, "teacherSha256", false),
                WorkerJson.path(n, "dataFolder", false), Preprocessing.fromNode(n.get("preprocessing"), "custom"),
                WorkerJson.text(n, "plan", false), settings(WorkerJson.object(n, "settings")),
                WorkerJson.text(n, "student", false), WorkerJson.path(n, "out", true),
                WorkerJson.path(n, "checkpointDir", true), n.path("resume").asBoolean(false));
    }

    static ObjectNode settingsNode(FineTuneSettings s) {
        ObjectNode o = WorkerJson.MAPPER.createObjectNode();
        o.put("epochs", s.epochs());
        o.put("batch", s.batch());
        o.put("learningRate", s.learningRate());
        o.put("seed", s.seed());
        o.put("qat", s.qat());
        if (s.distillation() != null) {
            o.putObject("distillation").put("alpha", s.distillation().alpha())
                    .put("temperature", s.distillation().temperature());
        }
        if (s.schedule() != null) {
            o.putObject("schedule").put("startStep", s.schedule().startStep()).put("endStep", s.schedule().endStep())
                    .put("frequency", s.schedule().frequency());
        }
        o.put("checkpointEvery", s.checkpointEvery());
        o.put("limitTrain", s.limitTrain());
        o.put("augmentation", s.augmentation() == null ? null : s.augmentation().name());
        return o;
    }

    static FineTuneSettings settings(JsonNode o) {
        JsonNode d = o.get("distillation");
        JsonNode sc = o.get("schedule");
        String aug = WorkerJson.text(o, "augmentation", false);
        return new FineTuneSettings(WorkerJson.integer(o, "epochs"), WorkerJson.integer(o, "batch"),
                WorkerJson.number(o, "learningRate"), o.path("seed").asLong(42), o.path("qat").asBoolean(false),
                d == null || d.isNull() ? null : new Distillation(WorkerJson.number(d, "alpha"),
                        WorkerJson.number(d, "temperature")),
                sc == null || sc.isNull() ? null : new AgpSchedule(sc.path("startStep").asLong(),
                        sc.path("endStep").asLong(), sc.path("frequency").asLong(1)),
                o.path("checkpointEvery").asInt(0), null, false, o.path("limitTrain").asInt(0),
                aug == null ? null : Augmentation.parse(aug));
    }
}
