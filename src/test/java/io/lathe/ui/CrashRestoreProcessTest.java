package io.lathe.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.session.UserSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the real workbench (SIGKILL, no shutdown hooks, no exit handler) right after a series of edits and
 * checks that the next start restores exactly the last edit: a slider drag that was never released.
 */
class CrashRestoreProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private Process start(String mode) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dtestfx.robot=glass", "-Dtestfx.headless=true", "-Dglass.platform=Monocle",
                "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Djava.awt.headless=true",
                "-Dheadless.geometry=1600x1000-32",
                "-D" + UserSettings.FOLDER_PROPERTY + "=" + dir.resolve("config"),
                "-Dlathe.data=" + dir.resolve("data"),
                "-D" + WorkspaceModel.BN_IMAGES_PROPERTY + "=0",
                CrashRestoreChild.class.getName(), mode, dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(mode + ".log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private JsonNode journaledPlan() throws IOException {
        Path folder = dir.resolve("config/journal");
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().matches("plan-[0-9a-f]+\\.json")).toList();
            return files.size() == 1 ? JSON.readTree(Files.readString(files.get(0))).path("plan") : null;
        }
    }

    private void waitUntil(Process child, String what, IoCondition condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.holds()) {
            if (System.nanoTime() > end || (!child.isAlive() && !condition.holds())) {
                child.destroyForcibly();
                throw new AssertionError("the child never got to: " + what + "; its output:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    private String log() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String m : List.of("edit", "restore")) {
            Path f = dir.resolve(m + ".log");
            if (Files.exists(f)) {
                sb.append("--- ").append(m).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    @FunctionalInterface
    private interface IoCondition {
        boolean holds() throws IOException;
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aKilledWindowRestoresItsLastEditOnTheNextStart() throws Exception {
        Process editing = start("edit");
        Path expectedFile = dir.resolve("expected.json");
        waitUntil(editing, "the edits", () -> Files.exists(expectedFile));
        JsonNode expected = JSON.readTree(Files.readString(expectedFile));
        waitUntil(editing, "journaling the last edit", () -> expected.equals(journaledPlan()));
        editing.destroyForcibly();
        assertThat(editing.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(editing.exitValue()).as("killed, not exited").isNotZero();
        assertThat(dir.resolve("config/last-plan.json")).as("nothing remembered at exit").doesNotExist();

        Process restoring = start("restore");
        Path restoredFile = dir.resolve("restored.json");
        waitUntil(restoring, "writing what it restored", () -> Files.exists(restoredFile));
        assertThat(restoring.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JsonNode restored = JSON.readTree(Files.readString(restoredFile));
        assertThat(JSON.readTree(restored.path("plan").asText())).isEqualTo(expected);
        assertThat(restored.path("plan").asText()).isEqualTo(Files.readString(expectedFile));
        assertThat(restored.path("dirty").asBoolean()).isTrue();
        assertThat(restored.path("notices").toString()).contains("Restored the unsaved plan from your last session (");
        assertThat(restored.path("messages").toString()).as("shown in the window's messages list")
                .contains("Restored the unsaved plan from your last session (");
    }
}
