package io.lathe.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.data.Preprocessing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the preprocessing a model states: the {@code "preprocess"} field of its sidecar JSON
 * ({@code <model>.json}: a preset name or an object), else what the user chose before
 * ({@link ModelPreprocessingStore}), else {@link Preprocessing#unit()} with a note saying so.
 */
final class ModelPreprocessing {
    /** How the note about an assumed preprocessing starts (so it can be dropped once one is chosen). */
    static final String ASSUMED_NOTE_START = "No preprocessing stated with the model";
    static final String ASSUMED_NOTE = ASSUMED_NOTE_START + "; assumed x/255 (unit). Set it with --preprocess or "
            + "in the data dialog.";

    private ModelPreprocessing() {
    }

    /** The preprocessing of the model at {@code file} (null for models without a file). */
    static Preprocessing resolve(Path file, String sha256, ModelPreprocessingStore store, List<String> notes)
            throws ModelLoadException {
        Path sidecar = file == null ? null : sidecar(file);
        if (sidecar != null && Files.isRegularFile(sidecar)) {
            try {
                JsonNode node = new ObjectMapper().readTree(sidecar.toFile()).get("preprocess");
                if (node != null && !node.isNull()) {
                    return Preprocessing.fromNode(node, ModelLoader.baseName(file));
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new ModelLoadException(sidecar + ": \"preprocess\" cannot be read (" + e.getMessage()
                        + "); give a preset name (" + String.join(", ", Preprocessing.PRESETS)
                        + ") or an object such as {\"scale\": 0.00392156862745098}", e);
            }
        }
        if (store != null && sha256 != null) {
            try {
                Preprocessing remembered = store.load(sha256);
                if (remembered != null) {
                    return remembered;
                }
            } catch (IOException e) {
                throw new ModelLoadException(e.getMessage(), e);
            }
        }
        notes.add(ASSUMED_NOTE);
        return Preprocessing.unit();
    }

    /** {@code <model without extension>.json} next to the model file. */
    static Path sidecar(Path model) {
        return model.resolveSibling(ModelLoader.baseName(model) + ".json");
    }
}
