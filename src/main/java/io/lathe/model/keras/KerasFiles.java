package io.lathe.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.model.ModelLoadException;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Works out what a Keras-ish file is before anything is handed to HDF5 or DL4J: a tf.keras 2.x model
 * {@code .h5}, an architecture JSON with its weights-only {@code .h5} beside it, or one of the files
 * DL4J cannot read (Keras 3, SavedModel folders, files that are not HDF5 at all, damaged HDF5), each
 * refused with one line that names the file, what it is and what to do.
 */
public final class KerasFiles {
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final String KERAS3 = " was saved by Keras 3, which DL4J cannot import; re-save it with "
            + "tf.keras 2.x as .h5 (model.save('m.h5'))";

    private KerasFiles() {
    }

    /**
     * What to import: either a full model file ({@code architecture == null}) or an architecture JSON
     * with its weights-only HDF5 file.
     */
    public record Source(Path architecture, Path weights) {
        /** True when the architecture comes from a separate JSON file. */
        public boolean split() {
            return architecture != null;
        }
    }

    /** True for names Lathe opens as Keras files. */
    public static boolean isKerasName(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".h5") || n.endsWith(".hdf5") || n.endsWith(".keras") || n.endsWith(".json");
    }

    /** True if the file starts with the HDF5 signature (whatever its name). */
    public static boolean isHdf5(Path file) {
        byte[] head = head(file, HDF5_SIGNATURE.length);
        return Arrays.equals(head, HDF5_SIGNATURE);
    }

    /** The error for a folder given as a model: SavedModel folders are named as such. */
    public static ModelLoadException folderError(Path dir) {
        if (Files.isRegularFile(dir.resolve("saved_model.pb")) || Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
            return new ModelLoadException(dir + ": a TensorFlow SavedModel folder, which Lathe cannot import; "
                    + "convert it with tf.keras 2.x (tf.keras.models.load_model(dir).save('m.h5')) or export ONNX "
                    + "with tf2onnx (python -m tf2onnx.convert --saved-model dir --output m.onnx)");
        }
        return new ModelLoadException(dir + ": a folder, not a model file (no saved_model.pb inside); open a "
                + "Keras .h5, an ONNX file or a DL4J model zip");
    }

    /** Checks the file and finds its companion file if it is one half of a JSON + weights pair. */
    public static Source locate(Path file) throws ModelLoadException {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            checkArchitectureJson(file);
            Path weights = companion(file, stem(file), ".h5", ".weights.h5", ".hdf5");
            if (weights == null) {
                throw new ModelLoadException(file + ": a Keras architecture JSON without weights; put the file "
                        + "written by model.save_weights() beside it as " + stem(file) + ".h5 (or "
                        + stem(file) + ".weights.h5), or open a full model saved with model.save('m.h5')");
            }
            checkHdf5(weights);
            return new Source(file, weights);
        }
        checkHdf5(file);
        quiet();
        boolean hasConfig;
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            hasConfig = archive.hasAttribute("model_config");
            if (hasConfig) {
                checkNotKeras3(file, archive.readAttributeAsJson("model_config"),
                        archive.hasAttribute("keras_version") ? archive.readAttributeAsString("keras_version") : null);
            } else if (archive.hasAttribute("keras_version")
                    && archive.readAttributeAsString("keras_version").startsWith("3")) {
                throw new ModelLoadException(file + KERAS3);
            }
        } catch (ModelLoadException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelLoadException(file + ": an HDF5 file whose Keras attributes cannot be read ("
                    + firstLine(e) + "); re-save it with tf.keras 2.x as .h5 (model.save('m.h5'))", e);
        }
        if (hasConfig) {
            return new Source(null, file);
        }
        String stem = stem(file);
        Path json = companion(file, stem, ".json");
        if (json == null) {
            throw new ModelLoadException(file + ": a Keras weights-only file (model.save_weights()) with no "
                    + "architecture; put model.to_json() beside it as " + stem + ".json, or save the whole "
                    + "model with model.save('m.h5')");
        }
        checkArchitectureJson(json);
        return new Source(json, file);
    }

    /** Turns off HDF5's printing of its error stack on stderr for the calling thread. */
    public static void quiet() {
        org.bytedeco.javacpp.Loader.load(org.bytedeco.hdf5.global.hdf5.class);
        org.bytedeco.hdf5.global.hdf5.H5Eset_auto2(org.bytedeco.hdf5.global.hdf5.H5E_DEFAULT, null, null);
    }

    /** Refuses anything that is not an intact-looking HDF5 file, saying what it looks like instead. */
    static void checkHdf5(Path file) throws ModelLoadException {
        byte[] head = head(file, 64);
        if (head.length >= HDF5_SIGNATURE.length && Arrays.equals(Arrays.copyOf(head, HDF5_SIGNATURE.length),
                HDF5_SIGNATURE)) {
            if (!opens(file)) {
                throw new ModelLoadException(file + ": a truncated or damaged HDF5 file (it has the HDF5 "
                        + "signature but HDF5 cannot open it); download or copy it again");
            }
            return;
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            if (zipHas(file, "config.json") && (zipHas(file, "model.weights.h5") || zipHas(file, "metadata.json"))) {
                throw new ModelLoadException(file + ": a Keras 3 .keras archive; it" + KERAS3);
            }
            throw new ModelLoadException(file + ": a zip file, not HDF5; open a DL4J model zip under a .zip "
                    + "name, or a Keras model saved with tf.keras 2.x model.save('m.h5')");
        }
        throw new ModelLoadException(file + ": not an HDF5 file (" + describeStart(head)
                + "); a Keras model is an .h5 file saved with tf.keras 2.x model.save('m.h5')");
    }

    private static boolean opens(Path file) {
        quiet();
        try (Hdf5Archive ignored = new Hdf5Archive(file.toString())) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static void checkArchitectureJson(Path json) throws ModelLoadException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(json + ": not a JSON file (" + firstLine(e) + "); give the output of "
                    + "model.to_json() saved by tf.keras 2.x", e);
        }
        if (root == null || !root.has("class_name") || !root.has("config")) {
            throw new ModelLoadException(json + ": a JSON file but not a Keras architecture (no class_name and "
                    + "config); give the output of model.to_json() saved by tf.keras 2.x");
        }
        checkNotKeras3(json, root.toString(), root.has("keras_version") ? root.get("keras_version").asText() : null);
    }

    private static void checkNotKeras3(Path file, String config, String kerasVersion) throws ModelLoadException {
        boolean v3 = kerasVersion != null && kerasVersion.startsWith("3");
        boolean v3Config = config.contains("\"registered_name\"") || config.contains("\"module\": \"keras")
                || config.contains("\"module\":\"keras");
        if (v3 || v3Config) {
            throw new ModelLoadException(file + KERAS3);
        }
    }

    /** The Keras name stem: {@code m} for m.json, m.h5 and m.weights.h5. */
    public static String stem(Path file) {
        String n = file.getFileName().toString();
        String lower = n.toLowerCase(Locale.ROOT);
        for (String ext : new String[]{".weights.h5", ".h5", ".hdf5", ".json", ".keras"}) {
            if (lower.endsWith(ext)) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }

    private static Path companion(Path file, String stem, String... extensions) {
        return Stream.of(extensions).map(e -> file.resolveSibling(stem + e))
                .filter(p -> !p.equals(file) && Files.isRegularFile(p)).findFirst().orElse(null);
    }

    private static boolean zipHas(Path file, String entry) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(entry) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String describeStart(byte[] head) {
        if (head.length == 0) {
            return "it is empty";
        }
        String text = new String(head, 0, Math.min(head.length, 16), StandardCharsets.ISO_8859_1);
        boolean printable = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t');
        if (printable) {
            String shown = text.strip();
            shown = shown.length() > 12 ? shown.substring(0, 12) : shown;
            return "it starts with '" + shown + "'…" + (shown.startsWith("<") ? ", a web page or XML document" : "");
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(head.length, 8); i++) {
            hex.append(String.format("%02x", head[i] & 0xff));
        }
        return "it starts with bytes " + hex;
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
