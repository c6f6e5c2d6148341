package io.lathe.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriterThatFailsMidwayLeavesTheOldContentAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("plan.json");
        Files.writeString(target, "old content");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half of the new con".getBytes(StandardCharsets.UTF_8));
            out.flush();
            throw new IOException("No space left on device");
        })).isInstanceOf(IOException.class)
                .hasMessage("cannot write " + target.toAbsolutePath() + ": No space left on device; choose another folder");
        assertThat(Files.readString(target)).isEqualTo("old content");
        assertThat(names()).containsExactly("plan.json");
    }

    @Test
    void aWriterThatThrowsAnUncheckedExceptionAlsoLeavesTheOldContent() throws Exception {
        Path target = dir.resolve("model.zip");
        Files.write(target, new byte[]{1, 2, 3});
        assertThatThrownBy(() -> AtomicFiles.writeFile(target, tmp -> {
            Files.write(tmp, new byte[1000]);
            throw new IllegalStateException("serializer broke");
        })).isInstanceOf(IllegalStateException.class).hasMessage("serializer broke");
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        assertThat(names()).containsExactly("model.zip");
    }

    @Test
    void aSuccessfulWriteReplacesTheFileAndLeavesNothingElse() throws Exception {
        Path target = dir.resolve("settings.properties");
        Files.writeString(target, "a=1\n");
        AtomicFiles.writeString(target, "a=2\nb=ü\n");
        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("a=2\nb=ü\n");
        assertThat(names()).containsExactly("settings.properties");
    }

    @Test
    void aWriterMayCloseTheStreamItIsGiven() throws Exception {
        Path target = dir.resolve("sub/folder/record.json");
        AtomicFiles.write(target, out -> {
            out.write('{');
            out.write("}".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        assertThat(Files.readString(target)).isEqualTo("{}");
    }

    @Test
    void aFileWriterGetsAnEmptyTemporaryFileBesideTheTarget() throws Exception {
        Path target = dir.resolve("best.zip");
        Path[] given = new Path[1];
        AtomicFiles.writeFile(target, tmp -> {
            given[0] = tmp;
            assertThat(Files.size(tmp)).isZero();
            Files.write(tmp, new byte[]{7});
        });
        assertThat(given[0].getParent()).isEqualTo(target.toAbsolutePath().getParent());
        assertThat(given[0].getFileName().toString()).startsWith(".best.zip.").endsWith(".tmp");
        assertThat(Files.readAllBytes(target)).containsExactly(7);
        assertThat(Files.exists(given[0])).isFalse();
    }

    @Test
    void aFolderThatCannotBeCreatedIsNamedInTheMessage() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        Path target = blocker.resolve("plan.json");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "{}")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write " + target.toAbsolutePath() + ": ")
                .hasMessageEndingWith("; choose another folder");
        assertThat(Files.readString(blocker)).isEqualTo("x");
    }
}
