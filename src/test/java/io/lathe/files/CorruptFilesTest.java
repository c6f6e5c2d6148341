package io.lathe.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class CorruptFilesTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:04:05Z"), ZoneOffset.UTC);

    @Test
    void aCorruptFileIsRenamedWithATimestampAndKept() throws Exception {
        Path f = Files.writeString(dir.resolve("settings.properties"), "garbage");
        String msg = CorruptFiles.setAside(f, "The settings file", "bad bytes", clock);
        Path aside = dir.resolve("settings.properties.corrupt-20261202-120405");
        assertThat(Files.exists(f)).isFalse();
        assertThat(Files.readString(aside)).isEqualTo("garbage");
        assertThat(msg).contains("bad bytes").contains("set aside as settings.properties.corrupt-20261202-120405");
    }

    @Test
    void aSecondCorruptFileInTheSameSecondDoesNotOverwriteTheFirst() throws Exception {
        Path f = dir.resolve("plan.json");
        Files.writeString(f, "first");
        CorruptFiles.setAside(f, "The plan journal", "x", clock);
        Files.writeString(f, "second");
        CorruptFiles.setAside(f, "The plan journal", "x", clock);
        assertThat(Files.readString(dir.resolve("plan.json.corrupt-20261202-120405"))).isEqualTo("first");
        assertThat(Files.readString(dir.resolve("plan.json.corrupt-20261202-120405-2"))).isEqualTo("second");
    }
}
