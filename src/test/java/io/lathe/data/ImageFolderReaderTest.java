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

class ImageFolderReaderTest {
    @Test
    void readsOneFolderPerClassResizedToTheModelInput(@TempDir Path dir) throws IOException {
        for (String cls : new String[]{"cat", "dog"}) {
            Files.createDirectories(dir.resolve(cls));
            for (int i = 0; i < 10; i++) {
                BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
                int grey = cls.equals("cat") ? 0xffffff : 0x000000;
                for (int y = 0; y < 30; y++) {
                    for (int x = 0; x < 40; x++) {
                        img.setRGB(x, y, grey);
                    }
                }
                ImageIO.write(img, "png", dir.resolve(cls).resolve(i + ".png").toFile());
            }
        }
        DataSplits s = ImageFolderReader.load(dir, 1, 28, 28);
        assertThat(s.train().size() + s.validation().size() + s.test().size()).isEqualTo(20);
        assertThat(s.test().classNames()).containsExactly("cat", "dog");
        assertThat(s.test().height()).isEqualTo(28);
        int catIndex = -1;
        for (int i = 0; i < s.test().size(); i++) {
            if (s.test().label(i) == 0) {
                catIndex = i;
            }
        }
        assertThat(s.test().pixels()[catIndex * 784 + 100]).isCloseTo(1f, org.assertj.core.data.Offset.offset(0.01f));
    }

    @Test
    void unreadableImageIsNamed(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a").resolve("x.png"), "not an image");
        assertThatThrownBy(() -> ImageFolderReader.read(dir, 1, 8, 8, "t")).hasMessageContaining("x.png");
    }
}
