package io.lathe.ui.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short soak for CI: {@code bench soak} for one minute on the bundled samples, in a child JVM (a
 * native crash ends the child, not the test run). Asserts no crash and no unexpected exception; the
 * stall and memory figures are printed, not asserted, because CI machines are shared.
 */
@Tag("soak")
class SoakBenchTest {
    private static final double MINUTES = 1.0;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void aOneMinuteSoakOfTheRealWindowHasNoCrashAndNoUnexpectedException() throws Exception {
        Path out = dir.resolve("soak.json");
        Path log = dir.resolve("soak.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=4G",
                "io.lathe.Main", "bench", "soak", "--minutes", Double.toString(MINUTES), "--seed", "14", "--json"))
                .redirectOutput(out.toFile()).redirectError(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process soak = pb.start();
        try {
            if (!soak.waitFor(160, TimeUnit.SECONDS)) {
                throw new AssertionError("the soak did not end in 160 s; its log:\n" + Files.readString(log));
            }
        } finally {
            soak.destroyForcibly();
        }
        String text = Files.readString(out);
        System.out.println(text);
        assertThat(text).as("the report; the soak's log:\n%s", Files.readString(log)).startsWith("{");
        JsonNode report = new ObjectMapper().readTree(text);
        assertThat(report.path("crashes").asInt(-1)).as("crashes").isZero();
        assertThat(report.path("unexpectedExceptions").asInt(-1)).as("unexpected exceptions: %s",
                report.path("exceptions")).isZero();
        assertThat(report.path("actionsTotal").asInt()).as("the script did something").isPositive();
        assertThat(soak.exitValue()).as("exit code; the soak's log:\n%s", Files.readString(log)).isZero();
    }
}
