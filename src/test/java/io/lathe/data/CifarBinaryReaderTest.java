package io.lathe.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CifarBinaryReaderTest {
    /** One record: label, then red plane = r, green plane = g, blue plane = b (pixel 0 of red = 255 - label). */
    private static byte[] record(int label, int r, int g, int b) {
        byte[] rec = new byte[CifarBinaryReader.RECORD];
        rec[0] = (byte) label;
        for (int i = 0; i < 1024; i++) {
            rec[1 + i] = (byte) r;
            rec[1 + 1024 + i] = (byte) g;
            rec[1 + 2048 + i] = (byte) b;
        }
        rec[1] = (byte) (255 - label);
        return rec;
    }

    /** Writes 5 training batches of 4 records (labels batch*4+k mod 3) and a test batch of 3. */
    private static void fakeSet(Path dir) throws IOException {
        for (int batch = 1; batch <= 5; batch++) {
            var out = new java.io.ByteArrayOutputStream();
            for (int k = 0; k < 4; k++) {
                int idx = (batch - 1) * 4 + k;
                out.write(record(idx % 3, idx, 100, 200));
            }
            Files.write(dir.resolve("data_batch_" + batch + ".bin"), out.toByteArray());
        }
        var test = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < 3; k++) {
            test.write(record(2 - k, 50 + k, 60, 70));
        }
        Files.write(dir.resolve("test_batch.bin"), test.toByteArray());
        Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\nfrog\n\n");
    }

    @Test
    void readsLabelsPlanesAndClassNames(@TempDir Path dir) throws IOException {
        fakeSet(dir);
        DataSplits s = DataLoader.load(dir, new int[]{3, 32, 32}, Preprocessing.preset("raw"));
        assertThat(s.train().classNames()).containsExactly("cat", "dog", "frog");
        assertThat(s.train().size() + s.validation().size()).isEqualTo(20);
        assertThat(s.test().size()).isEqualTo(3);
        assertThat(s.test().labels()).containsExactly(2, 1, 0);
        float[] px = s.test().pixels();
        assertThat(px[0]).isEqualTo(255f - 2);
        assertThat(px[1]).isEqualTo(50f);
        assertThat(px[1024 + 5]).isEqualTo(60f);
        assertThat(px[2048 + 5]).isEqualTo(70f);
    }

    @Test
    void validationIsTheEndOfTheTrainingBatches(@TempDir Path dir) throws IOException {
        fakeSet(dir);
        DataSplits s = DataLoader.load(dir, new int[]{3, 32, 32}, Preprocessing.preset("raw"));
        assertThat(s.validation().size()).isEqualTo(2);
        // records 18 and 19 (the last two of batch 5) have red value 18, 19 at pixel 1
        assertThat(s.validation().pixels()[1]).isEqualTo(18f);
        assertThat(s.validation().pixels()[3072 + 1]).isEqualTo(19f);
        assertThat(s.train().pixels()[1]).isEqualTo(0f);
    }

    @Test
    void truncatedBatchIsNamed(@TempDir Path dir) throws IOException {
        fakeSet(dir);
        Files.write(dir.resolve("data_batch_3.bin"), new byte[100]);
        assertThatThrownBy(() -> DataLoader.load(dir, new int[]{3, 32, 32}, Preprocessing.unit()))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("data_batch_3.bin")
                .hasMessageContaining("3073");
    }
}
