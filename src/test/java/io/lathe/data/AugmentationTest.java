package io.lathe.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AugmentationTest {
    @Test
    void photosGetTheStandardCropAndFlipIdxFilesNone(@TempDir Path dir) throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos").resolve("cat"));
        assertThat(Augmentation.forData(photos.getParent())).isEqualTo(Augmentation.STANDARD);
        Path idx = Files.createDirectories(dir.resolve("digits"));
        for (String f : new String[]{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.write(idx.resolve(f), new byte[16]);
        }
        assertThat(Augmentation.forData(idx)).isEqualTo(Augmentation.NONE);
        assertThat(Augmentation.forData(null)).isEqualTo(Augmentation.SAMPLE);
    }

    @Test
    void parsesTheCliSpellingsAndRefusesOthersListingThem() {
        assertThat(Augmentation.parse("crop4-flip")).isEqualTo(Augmentation.STANDARD);
        assertThat(Augmentation.parse("none")).isEqualTo(Augmentation.NONE);
        assertThatThrownBy(() -> Augmentation.parse("mixup")).hasMessageContaining("crop4-flip")
                .hasMessageContaining("none");
        assertThat(Augmentation.STANDARD.describe()).contains("4-pixel padding").contains("horizontal flip");
    }

    /** One bright pixel in a 24×24 image: where it lands tells the crop offset and flip. */
    @Test
    void cropMovesTheImageByUpToThePaddingAndFlipsHalfTheTime() {
        int h = 24;
        float[] px = new float[h * h];
        px[12 * h + 5] = 1f;
        LabeledImages one = new LabeledImages("one", px, new int[]{0}, 1, h, h, 1, new String[]{"a"});
        int maxDy = 0;
        int flipped = 0;
        Random rnd = new Random(1);
        int draws = 400;
        for (int k = 0; k < draws; k++) {
            INDArray x = Batches.augmented(one, new int[]{0}, 0, 1, Augmentation.STANDARD, rnd);
            float[] out = x.data().asFloat();
            int at = -1;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == 1f) {
                    at = i;
                }
            }
            assertThat(at).as("a pixel 5 px from the edge stays inside a 4-px shift").isNotNegative();
            int y = at / h;
            int x0 = at % h;
            maxDy = Math.max(maxDy, Math.abs(y - 12));
            // unflipped the pixel is within 4 of column 5; flipped, within 4 of column 18
            boolean nearOriginal = Math.abs(x0 - 5) <= 4;
            boolean nearMirror = Math.abs(x0 - 18) <= 4;
            assertThat(nearOriginal || nearMirror).isTrue();
            if (!nearOriginal) {
                flipped++;
            }
        }
        assertThat(maxDy).isEqualTo(4);
        assertThat(flipped).isBetween(draws / 4, draws / 2 + draws / 8);
        INDArray same = Batches.augmented(one, new int[]{0}, 0, 1, Augmentation.NONE, rnd);
        assertThat(same.data().asFloat()).containsExactly(px);
    }

    @Test
    void loadedImageFoldersCarryTheStandardAugmentation(@TempDir Path dir) throws Exception {
        for (String c : new String[]{"a", "b"}) {
            Path folder = Files.createDirectories(dir.resolve(c));
            for (int i = 0; i < 3; i++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 8,
                        java.awt.image.BufferedImage.TYPE_INT_RGB);
                javax.imageio.ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
            }
        }
        DataSplits d = DataLoader.load(dir, new int[]{3, 8, 8}, Preprocessing.unit());
        assertThat(d.augmentation()).isEqualTo(Augmentation.STANDARD);
    }
}
