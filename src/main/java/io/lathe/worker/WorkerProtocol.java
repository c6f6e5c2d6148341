package io.lathe.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lathe.session.FineTuneRun;
import io.lathe.train.FineTuneListener.EpochRecord;
import io.lathe.train.FineTuneListener.StepUpdate;

import java.util.Map;

/**
 * The lines a worker process and the window exchange, one JSON object per line. The window sends the
 * request ({@link FineTuneRequest#toJson()}), then any of {@code {"type":"cancel"}},
 * {@code {"type":"pause"}}, {@code {"type":"resume"}}. The worker answers with {@code progress},
 * {@code step} and {@code epoch} lines and ends with exactly one of {@code result}, {@code error} or
 * {@code cancelled}. Anything else on the worker's stdout is treated as a log line.
 */
public final class WorkerProtocol {
    public static final String PROGRESS = "progress";
    public static final String STEP = "step";
    public static final String EPOCH = "epoch";
    public static final String RESULT = "result";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";
    public static final String CANCEL = "cancel";
    public static final String PAUSE = "pause";
    public static final String RESUME = "resume";

    private WorkerProtocol() {
    }

    /** A message that carries only its type (cancel, pause, resume, cancelled). */
    public static String bare(String type) {
        return typed(type).toString();
    }

    private static ObjectNode typed(String type) {
        ObjectNode o = WorkerJson.MAPPER.createObjectNode();
        o.put("type", type);
        return o;
    }

    public static String progress(double fraction, String message) {
        return typed(PROGRESS).put("fraction", fraction).put("message", message).toString();
    }

    public static String error(String message) {
        return typed(ERROR).put("message", message).toString();
    }

    public static String step(StepUpdate u) {
        return typed(STEP).put("step", u.step()).put("totalSteps", u.totalSteps()).put("epoch", u.epoch())
                .put("loss", u.loss()).put("sparsity", u.sparsity()).put("learningRate", u.learningRate()).toString();
    }

    public static StepUpdate readStep(JsonNode n) {
        return new StepUpdate(WorkerJson.longValue(n, "step"), WorkerJson.longValue(n, "totalSteps"),
                n.path("epoch").asInt(), WorkerJson.number(n, "loss"), WorkerJson.number(n, "sparsity"),
                WorkerJson.number(n, "learningRate"));
    }

    public static String epoch(EpochRecord r) {
        return typed(EPOCH).put("epoch", r.epoch()).put("step", r.step()).put("trainLoss", r.trainLoss())
                .put("validationTop1", r.validationTop1()).put("sparsity", r.sparsity()).put("seconds", r.seconds())
                .toString();
    }

    public static EpochRecord readEpoch(JsonNode n) {
        return new EpochRecord(n.path("epoch").asInt(), WorkerJson.longValue(n, "step"),
                WorkerJson.number(n, "trainLoss"), WorkerJson.number(n, "validationTop1"),
                WorkerJson.number(n, "sparsity"), WorkerJson.number(n, "seconds"));
    }

    /** The result line of a {@link io.lathe.session.Request}: its result's JSON under {@code "result"}. */
    public static String requestResult(String resultJson) {
        ObjectNode n = typed(RESULT);
        try {
            n.set("result", WorkerJson.MAPPER.readTree(resultJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not write the result: " + e.getOriginalMessage(), e);
        }
        return n.toString();
    }

    /** The result line: the outcome's files and figures, and the run record as written. */
    public static String result(FineTuneRun.Outcome o) {
        ObjectNode n = typed(RESULT);
        n.put("modelFile", o.modelFile().toString());
        n.put("planFile", o.planFile().toString());
        n.put("recordFile", o.recordFile().toString());
        n.put("validationTop1", o.validationTop1());
        n.put("testTop1", o.testTop1());
        n.put("denseTestTop1", o.denseTestTop1());
        n.put("sparsity", o.sparsity());
        n.put("bestEpoch", o.bestEpoch());
        n.put("wallSeconds", o.wallSeconds());
        n.set("record", WorkerJson.MAPPER.valueToTree(o.record()));
        n.put("student", o.student());
        n.put("resumedAtStep", o.resumedAtStep());
        return n.toString();
    }

    public static FineTuneRun.Outcome readResult(JsonNode n) {
        Map<String, Object> record = n.hasNonNull("record")
                ? WorkerJson.MAPPER.convertValue(n.get("record"), new TypeReference<Map<String, Object>>() { })
                : Map.of();
        return new FineTuneRun.Outcome(WorkerJson.path(n, "modelFile", true), WorkerJson.path(n, "planFile", true),
                WorkerJson.path(n, "recordFile", true), WorkerJson.number(n, "validationTop1"),
                WorkerJson.number(n, "testTop1"), WorkerJson.number(n, "denseTestTop1"),
                WorkerJson.number(n, "sparsity"), n.path("bestEpoch").asInt(), WorkerJson.number(n, "wallSeconds"),
                record, WorkerJson.text(n, "student", false), WorkerJson.longValue(n, "resumedAtStep"));
    }

    /** The parsed message, or null when the line is not a protocol message (then it is a log line). */
    public static JsonNode message(String line) {
        String s = line.strip();
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            JsonNode n = WorkerJson.parse(s);
            return n.hasNonNull("type") ? n : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
