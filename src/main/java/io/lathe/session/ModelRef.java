package io.lathe.session;

import io.lathe.data.Preprocessing;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model as a request names it: its file (absolute, or a zoo name), the SHA-256 of the file as it was
 * opened, and the preprocessing it gets (its JSON form), so that another thread, process or machine
 * loads exactly the model the user had open and refuses a file that changed since.
 *
 * @param file              absolute path of the model file, or "zoo:resnet50"
 * @param sha256            the file's SHA-256 when it was opened
 * @param preprocessingJson the preprocessing in its JSON form ({@link Preprocessing#toJson()})
 */
public record ModelRef(String file, String sha256, String preprocessingJson) {
    public ModelRef {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Preprocessing.fromJson(Objects.requireNonNull(preprocessingJson, "preprocessingJson"));
    }

    /** The reference to a loaded model, with the preprocessing it has now. */
    public static ModelRef of(LoadedModel m) {
        String origin = m.origin();
        String file = origin.startsWith("zoo:") ? origin : Path.of(origin).toAbsolutePath().normalize().toString();
        return new ModelRef(file, m.sha256(), m.preprocessing().toJson());
    }

    /** The preprocessing the model gets. */
    public Preprocessing preprocessing() {
        return Preprocessing.fromJson(preprocessingJson);
    }

    /** True if {@code m} is this model, with this preprocessing. */
    public boolean matches(LoadedModel m) {
        return m.sha256().equals(sha256) && m.preprocessing().equals(preprocessing());
    }

    /**
     * Loads the model with the requested preprocessing.
     *
     * @throws IllegalArgumentException when the file is no longer the one the request was made for
     */
    LoadedModel load() throws IOException {
        LoadedModel m = ModelLoader.load(file);
        if (!m.sha256().equals(sha256)) {
            throw new IllegalArgumentException(file + " changed since the request was made (SHA-256 "
                    + m.sha256().substring(0, 12) + "…, expected " + sha256.substring(0, Math.min(12, sha256.length()))
                    + "…): open the model again");
        }
        return m.withPreprocessing(preprocessing());
    }
}
