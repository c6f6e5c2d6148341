package io.lathe.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFolderSplitsTest {
    /** Writes {@code n} 4×4 PNGs of grey level {@code grey} into {@code dir/cls}. */
    private static void images(Path dir, String cls, int n, int grey) throws IOException {
        Files.createDirectories(dir.resolve(cls));
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    img.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
                }
            }
            ImageIO.write(img, "png", dir.resolve(cls).resolve(String.format("%03d.png", i)).toFile());
        }
    }

    private static DataSplits load(Path dir) throws IOException {
        return DataLoader.load(dir, new int[]{1, 4, 4}, Preprocessing.preset("raw"));
    }

    @Test
    void valFolderIsTheValidationSplit(@TempDir Path dir) throws IOException {
        for (String[] c : new String[][]{{"a", "10"}, {"b", "20"}}) {
            images(dir.resolve("train"), c[0], 5, Integer.parseInt(c[1]));
            images(dir.resolve("val"), c[0], 2, Integer.parseInt(c[1]) + 1);
            images(dir.resolve("test"), c[0], 3, Integer.parseInt(c[1]) + 2);
        }
        DataSplits s = load(dir);
        assertThat(s.train().size()).isEqualTo(10);
        assertThat(s.validation().size()).isEqualTo(4);
        assertThat(s.test().size()).isEqualTo(6);
        for (int i = 0; i < s.validation().size(); i++) {
            float v = s.validation().pixels()[i * 16];
            assertThat(v).isEqualTo(s.validation().label(i) == 0 ? 11f : 21f);
        }
    }

    @Test
    void withoutValTheLastTenthOfEachTrainingClassValidates(@TempDir Path dir) throws IOException {
        images(dir.resolve("train"), "a", 20, 10);
        images(dir.resolve("train"), "b", 30, 20);
        images(dir.resolve("test"), "a", 2, 12);
        DataSplits s = load(dir);
        assertThat(s.validation().size()).isEqualTo(2 + 3);
        assertThat(s.train().size()).isEqualTo(18 + 27);
        int[] perClass = new int[2];
        for (int l : s.validation().labels()) {
            perClass[l]++;
        }
        assertThat(perClass).containsExactly(2, 3);
        DataSplits again = load(dir);
        assertThat(again.train().labels()).containsExactly(s.train().labels());
    }

    @Test
    void testFolderLackingAClassIsMatchedByName(@TempDir Path dir) throws IOException {
        images(dir.resolve("train"), "a", 5, 10);
        images(dir.resolve("train"), "b", 5, 20);
        images(dir.resolve("train"), "c", 5, 30);
        images(dir.resolve("test"), "c", 2, 33);
        DataSplits s = load(dir);
        assertThat(s.test().classNames()).containsExactly("a", "b", "c");
        assertThat(s.test().labels()).containsExactly(2, 2);
        assertThat(s.test().pixels()[0]).isEqualTo(33f);
    }

    @Test
    void testClassUnknownToTrainingIsRefusedByName(@TempDir Path dir) throws IOException {
        images(dir.resolve("train"), "a", 5, 10);
        images(dir.resolve("train"), "b", 5, 20);
        images(dir.resolve("test"), "zebra", 2, 33);
        assertThatThrownBy(() -> load(dir)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("zebra").hasMessageContaining("a, b");
    }

    @Test
    void aSecondReadComesFromTheCacheWithTheSamePixels(@TempDir Path dir) throws IOException {
        images(dir, "a", 5, 10);
        images(dir, "b", 5, 20);
        Path cache = dir.resolveSibling(dir.getFileName() + "-cache");
        String old = System.getProperty("lathe.cache");
        System.setProperty("lathe.cache", cache.toString());
        try {
            DataSplits first = load(dir);
            try (var files = Files.list(cache.resolve("images"))) {
                assertThat(files.count()).isEqualTo(1);
            }
            DataSplits second = load(dir);
            assertThat(second.train().pixels()).containsExactly(first.train().pixels());
            images(dir, "a", 6, 15);
            DataSplits third = load(dir);
            assertThat(third.train().size() + third.validation().size() + third.test().size()).isEqualTo(11);
        } finally {
            if (old == null) {
                System.clearProperty("lathe.cache");
            } else {
                System.setProperty("lathe.cache", old);
            }
        }
    }
}
