package io.lathe.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lathe.files.AtomicFiles;
import io.lathe.files.CorruptFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The plan-edit journal: for each model (by SHA-256) one small JSON file holding the plan being edited,
 * the model and data it belongs to, how many edits made it and when, written atomically after every
 * edit so that a crash or a kill loses nothing. A file that cannot be read is set aside
 * ({@code ….corrupt-<timestamp>}) and reported, never thrown. Thread-safe (no mutable state).
 */
public final class PlanJournal {
    /** The journal file's {@code format} field. */
    public static final String FORMAT = "lathe-plan-journal";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path folder;
    private final Clock clock;

    /**
     * One journaled plan.
     *
     * @param planJson    the plan file text ({@code PlanJson.write})
     * @param modelSha256 the model the plan belongs to
     * @param modelName   its name, for messages
     * @param origin      the file (or in-memory name) it was opened from
     * @param data        the data folder previews were measured on, or null
     * @param edits       edits made to reach this plan since the model was opened (carried over restores)
     * @param unsaved     whether the plan differs from the one last saved to a plan file
     * @param time        when the entry was written
     */
    public record Entry(String planJson, String modelSha256, String modelName, String origin, String data, int edits,
                        boolean unsaved, Instant time) {
    }

    /** A journal kept in {@code folder} (created on the first write). */
    public PlanJournal(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    /** The journal in the settings folder ({@code <config>/journal}). */
    public static PlanJournal in(UserSettings settings) {
        return new PlanJournal(settings.folder().resolve("journal"), Clock.systemDefaultZone());
    }

    public Path folder() {
        return folder;
    }

    /** The file holding the journal of the model with this fingerprint. */
    public Path fileFor(String modelSha256) {
        String key = modelSha256 == null ? "" : modelSha256.replaceAll("[^0-9a-fA-F]", "");
        return folder.resolve("plan-" + (key.isEmpty() ? "unknown" : key.substring(0, Math.min(16, key.length())))
                + ".json");
    }

    /** Writes {@code e} atomically over the model's previous entry. */
    public void write(Entry e) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        ObjectNode model = root.putObject("model");
        model.put("sha256", e.modelSha256());
        model.put("name", e.modelName());
        model.put("origin", e.origin());
        root.put("data", e.data());
        root.put("edits", e.edits());
        root.put("unsaved", e.unsaved());
        root.put("time", e.time().toString());
        root.set("plan", MAPPER.readTree(e.planJson()));
        AtomicFiles.writeString(fileFor(e.modelSha256()), MAPPER.writeValueAsString(root) + "\n");
    }

    /**
     * The entry journaled for the model {@code modelSha256}, if any. An unreadable file, or one written for
     * another model, is set aside and {@code problems} is told in a sentence for the user.
     */
    public Optional<Entry> read(String modelSha256, Consumer<String> problems) {
        Path file = fileFor(modelSha256);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Entry e = parse(Files.readString(file));
            if (!e.modelSha256().equals(modelSha256)) {
                problems.accept(CorruptFiles.setAside(file, "The plan journal", "it was written for another model, "
                        + e.modelName(), clock));
                return Optional.empty();
            }
            return Optional.of(e);
        } catch (IOException | RuntimeException ex) {
            String why = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage().lines().findFirst()
                    .orElse("");
            problems.accept(CorruptFiles.setAside(file, "The plan journal", why, clock));
            return Optional.empty();
        }
    }

    /** Removes the model's entry (nothing to restore any more). */
    public void delete(String modelSha256) throws IOException {
        Files.deleteIfExists(fileFor(modelSha256));
    }

    private static Entry parse(String text) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != 1) {
            throw new IOException("not a Lathe plan journal (format " + FORMAT + ", version 1)");
        }
        JsonNode model = root.path("model");
        JsonNode plan = root.path("plan");
        if (!model.path("sha256").isTextual() || !plan.isObject()) {
            throw new IOException("the model fingerprint or the plan is missing");
        }
        return new Entry(MAPPER.writeValueAsString(plan) + "\n", model.path("sha256").asText(),
                model.path("name").asText(""), model.path("origin").asText(""),
                root.path("data").isTextual() ? root.path("data").asText() : null, root.path("edits").asInt(0),
                root.path("unsaved").asBoolean(true), Instant.parse(root.path("time").asText()));
    }
}
