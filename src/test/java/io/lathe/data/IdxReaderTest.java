package io.lathe.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxReaderTest {
    @TempDir
    Path dir;

    static void writeImages(Path file, int count, int rows, int cols, int actualImages, boolean gzip, int magic)
            throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream os = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < actualImages * rows * cols; i++) {
                out.writeByte(i % 256);
            }
        }
    }

    static void writeLabels(Path file, int[] labels, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream os = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(IdxReader.LABEL_MAGIC);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
        }
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        writeImages(dir.resolve("a"), 3, 2, 2, 3, false, IdxReader.IMAGE_MAGIC);
        writeImages(dir.resolve("a.gz"), 3, 2, 2, 3, true, IdxReader.IMAGE_MAGIC);
        var plain = IdxReader.readImages(dir.resolve("a"));
        var gz = IdxReader.readImages(dir.resolve("a.gz"));
        assertThat(plain.count()).isEqualTo(3);
        assertThat(gz.data()).containsExactly(plain.data());
    }

    @Test
    void scalesPixelsToUnitRangeAndKeepsLabels() throws IOException {
        writeImages(dir.resolve("i"), 2, 2, 2, 2, true, IdxReader.IMAGE_MAGIC);
        writeLabels(dir.resolve("l"), new int[]{1, 0}, true);
        LabeledImages set = IdxReader.read(dir.resolve("i"), dir.resolve("l"), "x", new String[]{"a", "b"});
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.pixels()[1]).isEqualTo(1 / 255f);
        assertThat(set.label(0)).isEqualTo(1);
    }

    @Test
    void truncatedFileIsNamedWithTheProblem() throws IOException {
        Path f = dir.resolve("short.gz");
        writeImages(f, 10, 4, 4, 3, true, IdxReader.IMAGE_MAGIC);
        assertThatThrownBy(() -> IdxReader.readImages(f)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("short.gz").hasMessageContaining("truncated");
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        Path f = dir.resolve("labels-as-images");
        writeImages(f, 1, 1, 1, 1, false, IdxReader.LABEL_MAGIC);
        assertThatThrownBy(() -> IdxReader.readImages(f)).hasMessageContaining("labels-as-images")
                .hasMessageContaining("magic 2049").hasMessageContaining("label file");
    }

    @Test
    void mismatchedCountsAreRefused() throws IOException {
        writeImages(dir.resolve("i"), 2, 2, 2, 2, false, IdxReader.IMAGE_MAGIC);
        writeLabels(dir.resolve("l"), new int[]{1, 0, 1}, false);
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("i"), dir.resolve("l"), "x", new String[]{"a", "b"}))
                .hasMessageContaining("3 labels but").hasMessageContaining("do not belong together");
    }

    @Test
    void corruptGzipIsRefused() throws IOException {
        Path f = dir.resolve("bad.gz");
        Files.write(f, new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        assertThatThrownBy(() -> IdxReader.readImages(f)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("bad.gz");
    }

    @Test
    void missingFolderAndMissingFilesAreExplained() throws IOException {
        assertThatThrownBy(() -> FashionMnist.load(dir.resolve("nowhere"))).hasMessageContaining("not found");
        writeImages(dir.resolve("train-images-idx3-ubyte.gz"), 2, 2, 2, 2, true, IdxReader.IMAGE_MAGIC);
        assertThatThrownBy(() -> FashionMnist.load(dir)).hasMessageContaining("train-labels-idx1-ubyte");
    }

    @Test
    void bundledFashionMnistHasTheDesignSplits() throws IOException {
        DataSplits s = FashionMnist.load();
        assertThat(s.train().size()).isEqualTo(55_000);
        assertThat(s.validation().size()).isEqualTo(5_000);
        assertThat(s.test().size()).isEqualTo(10_000);
        assertThat(s.train().height()).isEqualTo(28);
    }
}
