package io.lathe.model.keras;

import io.lathe.model.ModelLoadException;
import io.lathe.model.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KerasFileErrorsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "random.h5          | not an HDF5 file; starts with bytes",
            "page.h5            | not an HDF5 file; it starts with '<html; web page",
            "truncated.h5       | truncated or damaged HDF5 file; download or copy it again",
            "m.keras            | a Keras 3 .keras archive; it was saved by Keras 3, which DL4J cannot import; re-save it with tf.keras 2.x as .h5",
            "keras3.h5          | saved by Keras 3; re-save it with tf.keras 2.x as .h5",
            "savedmodel         | TensorFlow SavedModel folder; tf2onnx; .save('m.h5')",
            "empty-folder       | a folder, not a model file; no saved_model.pb",
            "arch-only.json     | architecture JSON without weights; arch-only.h5",
            "weights-only.h5    | weights-only file; no architecture; weights-only.json",
            "notkeras.json      | not a Keras architecture; model.to_json()",
    })
    void refusesABadFileWithOneLineSayingWhatItIsAndWhatToDo(String kind, String expectedWords) throws Exception {
        Path file = make(kind);
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
                    for (String w : expectedWords.split(";")) {
                        assertThat(e.getMessage()).contains(w.strip());
                    }
                });
    }

    @Test
    void cliRefusesATruncatedFileWithOneLineAndNoHdf5Diagnostics() throws Exception {
        Path file = make("truncated.h5");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.lathe.Main", "info", "--model", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr;
        try (InputStream err = p.getErrorStream()) {
            stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(stderr).contains("truncated or damaged HDF5 file").doesNotContain("HDF5-DIAG").doesNotContain("H5F.c");
        assertThat(stderr.lines().filter(l -> l.startsWith("lathe:")).count()).isEqualTo(1);
    }

    private Path make(String kind) throws Exception {
        Path f = dir.resolve(kind.strip());
        switch (kind.strip()) {
            case "random.h5" -> {
                byte[] b = new byte[4096];
                new Random(7).nextBytes(b);
                b[0] = 0x13;
                Files.write(f, b);
            }
            case "page.h5" -> Files.writeString(f, "<html><head><title>404 Not Found</title></head></html>");
            case "truncated.h5" -> {
                assumeTrue(Files.isRegularFile(KerasFixtures.RESNET20), "shared model missing: " + KerasFixtures.RESNET20);
                try (InputStream in = Files.newInputStream(KerasFixtures.RESNET20)) {
                    Files.write(f, in.readNBytes(4096));
                }
            }
            case "m.keras" -> KerasFixtures.writeKeras3Zip(f);
            case "keras3.h5" -> KerasFixtures.writeHdf5WithAttributes(f, "keras_version", "3.3.3", "model_config",
                    "{\"module\": \"keras\", \"class_name\": \"Functional\", \"config\": {}, "
                            + "\"registered_name\": \"Functional\"}");
            case "savedmodel" -> {
                Files.createDirectories(f.resolve("variables"));
                Files.write(f.resolve("saved_model.pb"), new byte[]{8, 1});
            }
            case "empty-folder" -> Files.createDirectories(f);
            case "arch-only.json" -> Files.writeString(f, "{\"class_name\": \"Functional\", \"config\": {\"layers\": []},"
                    + " \"keras_version\": \"2.10.0\", \"backend\": \"tensorflow\"}");
            case "weights-only.h5" -> KerasFixtures.writeHdf5WithAttributes(f, "keras_version", "2.10.0",
                    "backend", "tensorflow");
            case "notkeras.json" -> Files.writeString(f, "{\"inputShape\": [3, 32, 32]}");
            default -> throw new IllegalArgumentException(kind);
        }
        return f;
    }
}
