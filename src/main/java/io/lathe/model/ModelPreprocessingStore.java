package io.lathe.model;

import io.lathe.data.AppHome;
import io.lathe.data.Preprocessing;
import io.lathe.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The preprocessing a user chose for a model file that does not state one, remembered per model
 * (keyed by the file's SHA-256) in {@code preprocessing/<sha256>.json} under Lathe's config folder.
 */
public final class ModelPreprocessingStore {
    private final Path dir;

    public ModelPreprocessingStore(Path dir) {
        this.dir = dir;
    }

    /** The store under {@link AppHome#configFolder()}. */
    public static ModelPreprocessingStore inConfigFolder() {
        return new ModelPreprocessingStore(AppHome.configFolder().resolve("preprocessing"));
    }

    /** The remembered preprocessing of the model {@code sha256}, or null if none was saved. */
    public Preprocessing load(String sha256) throws IOException {
        Path file = file(sha256);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Preprocessing.fromJson(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the remembered preprocessing cannot be read (" + e.getMessage()
                    + "); delete the file or choose the preprocessing again", e);
        }
    }

    /** Remembers {@code p} for the model {@code sha256} (written atomically). */
    public void save(String sha256, Preprocessing p) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(file(sha256), p.toJson());
    }

    private Path file(String sha256) {
        if (!sha256.matches("[0-9a-fA-F]{8,128}")) {
            throw new IllegalArgumentException("not a model fingerprint: " + sha256);
        }
        return dir.resolve(sha256.toLowerCase(java.util.Locale.ROOT) + ".json");
    }
}
