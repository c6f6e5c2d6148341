package io.lathe.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads facts from a model's sidecar JSON ({@code <model>.json} next to the model file). */
public final class ModelSidecar {
    private ModelSidecar() {
    }

    /**
     * The {@code "classNames"} of the sidecar of the model at {@code origin}, or null when there is no
     * sidecar or it lists none.
     *
     * @throws IOException when the sidecar exists but cannot be read, or its class names are not strings
     */
    public static String[] classNames(String origin) throws IOException {
        Path model;
        try {
            model = Path.of(origin);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        if (!Files.isRegularFile(model)) {
            return null;
        }
        Path sidecar = ModelPreprocessing.sidecar(model);
        if (!Files.isRegularFile(sidecar)) {
            return null;
        }
        JsonNode names = new ObjectMapper().readTree(sidecar.toFile()).get("classNames");
        if (names == null || names.isNull()) {
            return null;
        }
        if (!names.isArray() || names.isEmpty()) {
            throw new IOException(sidecar + ": \"classNames\" must be a list of class names, one per model output");
        }
        String[] out = new String[names.size()];
        for (int i = 0; i < out.length; i++) {
            if (!names.get(i).isTextual()) {
                throw new IOException(sidecar + ": \"classNames\" must hold strings");
            }
            out[i] = names.get(i).asText();
        }
        return out;
    }
}
