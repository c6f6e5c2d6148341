package io.lathe.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lathe.files.AtomicFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fine-tune's checkpoint folder: {@code checkpoint-<step>.zip} (the network with its optimizer
 * state, training hooks taken out), {@code checkpoint.json} (step, history, best epoch, and what the
 * run was: a resumed run must match) and {@code best.zip} (the best exported network so far). The
 * JSON is written last and names its zip, so a crash in between leaves the previous checkpoint valid.
 */
final class Checkpoints {
    static final String FORMAT = "lathe-finetune-checkpoint";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path dir;

    /** The state saved next to the network. */
    record State(String format, String model, long step, long totalSteps, String runKey, int bestEpoch,
                 double bestValidation, List<FineTuneListener.EpochRecord> history) {
    }

    /** A checkpoint read back. */
    record Loaded(ComputationGraph net, State state, ComputationGraph best) {
    }

    Checkpoints(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    boolean exists() {
        return Files.isRegularFile(dir.resolve("checkpoint.json"));
    }

    /** Writes the network (with updater state) and the state; removes the previous checkpoint's zip. */
    void write(ComputationGraph detached, State state) throws IOException {
        Files.createDirectories(dir);
        String previous = exists() ? read(State.class).model() : null;
        Path zip = dir.resolve(state.model());
        AtomicFiles.write(zip, out -> ModelSerializer.writeModel(detached, out, true));
        AtomicFiles.write(dir.resolve("checkpoint.json"), MAPPER.writeValueAsBytes(state));
        if (previous != null && !previous.equals(state.model())) {
            Files.deleteIfExists(dir.resolve(previous));
        }
    }

    /** Writes the best exported network so far. */
    void writeBest(ComputationGraph exported) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve("best.zip"), out -> ModelSerializer.writeModel(exported, out, false));
    }

    /** Reads the last checkpoint. */
    Loaded read() throws IOException {
        State s = read(State.class);
        if (!FORMAT.equals(s.format())) {
            throw new IOException(dir.resolve("checkpoint.json") + " is not a Lathe fine-tune checkpoint");
        }
        ComputationGraph net = ModelSerializer.restoreComputationGraph(dir.resolve(s.model()).toFile(), true);
        Path best = dir.resolve("best.zip");
        ComputationGraph b = Files.isRegularFile(best) ? ModelSerializer.restoreComputationGraph(best.toFile(), false)
                : null;
        return new Loaded(net, s, b);
    }

    /** The saved state only (no network), after checking the format. */
    State state() throws IOException {
        State s = read(State.class);
        if (!FORMAT.equals(s.format())) {
            throw new IOException(dir.resolve("checkpoint.json") + " is not a Lathe fine-tune checkpoint");
        }
        return s;
    }

    private <T> T read(Class<T> type) throws IOException {
        return MAPPER.readValue(dir.resolve("checkpoint.json").toFile(), type);
    }

    /** Deletes the folder's checkpoint files (after a run's outputs are safely written). */
    void delete() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("checkpoint") || n.startsWith("best.zip")) {
                    Files.delete(p);
                }
            }
        }
        try (var rest = Files.list(dir)) {
            if (rest.findAny().isEmpty()) {
                Files.delete(dir);
            }
        }
    }
}
