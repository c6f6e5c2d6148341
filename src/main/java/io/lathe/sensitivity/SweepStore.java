package io.lathe.sensitivity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lathe.compress.Granularity;
import io.lathe.data.Fingerprints;
import io.lathe.files.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where measured sweep points live on disk, so a sweep that was cancelled or crashed resumes where it
 * stopped and a finished one is reused. One JSON file per (model sha256, data fingerprint, kind), the
 * kind being a pruning granularity (with block shape) or "bits"; each file maps layer → level →
 * correct predictions. Files are replaced atomically, so a crash leaves the last complete state.
 * Engine thread only.
 */
public final class SweepStore {
    static final String FORMAT = "lathe-sensitivity";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;

    /** A store in {@code dir} (created when first written). */
    public SweepStore(Path dir) {
        this.dir = dir;
    }

    /** The default folder: {@code ~/.config/lathe/sensitivity}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".config", "lathe", "sensitivity");
    }

    /** The folder of this store. */
    public Path dir() {
        return dir;
    }

    /** The points of one kind for a model and data set, loaded from disk (empty if none stored). */
    public Points open(String modelSha256, String dataFingerprint, int images, String kind) {
        Path file = dir.resolve(key(modelSha256, dataFingerprint, kind) + ".json");
        Points p = new Points(file, modelSha256, dataFingerprint, images, kind);
        if (Files.isRegularFile(file)) {
            p.load();
        }
        return p;
    }

    /** The kind name of a sparsity sweep at a granularity. */
    public static String pruneKind(Granularity g, String blockShape) {
        return "prune-" + g.key() + (g == Granularity.BLOCK ? "-" + blockShape : "");
    }

    /** The kind name of a bit-width sweep. */
    public static final String BITS = "quant-bits";

    static String key(String model, String data, String kind) {
        byte[] d = Fingerprints.sha256().digest((model + "|" + data + "|" + kind).getBytes(StandardCharsets.UTF_8));
        return kind + "-" + HexFormat.of().formatHex(d).substring(0, 24);
    }

    /** The stored points of one kind: layer → level → correct predictions. Not thread-safe. */
    public static final class Points {
        private final Path file;
        private final String model;
        private final String data;
        private final int images;
        private final String kind;
        private final Map<String, TreeMap<Double, Integer>> correct = new TreeMap<>();

        Points(Path file, String model, String data, int images, String kind) {
            this.file = file;
            this.model = model;
            this.data = data;
            this.images = images;
            this.kind = kind;
        }

        /** Correct predictions at a point, or null if not measured yet. */
        public Integer get(String layer, double level) {
            TreeMap<Double, Integer> m = correct.get(layer);
            return m == null ? null : m.get(level);
        }

        /** Records a point (call {@link #save()} to persist). */
        public void put(String layer, double level, int correctCount) {
            correct.computeIfAbsent(layer, k -> new TreeMap<>()).put(level, correctCount);
        }

        /** The file behind these points. */
        public Path file() {
            return file;
        }

        /** Writes all points atomically. */
        public void save() {
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("version", 1);
            root.put("modelSha256", model);
            root.put("dataFingerprint", data);
            root.put("images", images);
            root.put("kind", kind);
            ObjectNode layers = root.putObject("correct");
            correct.forEach((layer, levels) -> {
                ObjectNode l = layers.putObject(layer);
                levels.forEach((level, c) -> l.put(Double.toString(level), c));
            });
            try {
                AtomicFiles.writeString(file, JSON.writeValueAsString(root));
            } catch (IOException e) {
                throw new UncheckedIOException("could not store sensitivity results in " + file + ": " + e.getMessage(), e);
            }
        }

        void load() {
            try {
                JsonNode root = JSON.readTree(Files.readString(file));
                if (!FORMAT.equals(root.path("format").asText()) || !model.equals(root.path("modelSha256").asText())
                        || !data.equals(root.path("dataFingerprint").asText()) || root.path("images").asInt() != images
                        || !kind.equals(root.path("kind").asText())) {
                    return;
                }
                root.path("correct").fields().forEachRemaining(layer -> layer.getValue().fields().forEachRemaining(
                        level -> put(layer.getKey(), Double.parseDouble(level.getKey()), level.getValue().asInt())));
            } catch (IOException | RuntimeException e) {
                correct.clear();
            }
        }
    }
}
