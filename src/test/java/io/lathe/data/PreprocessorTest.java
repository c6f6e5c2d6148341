package io.lathe.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PreprocessorTest {
    private static final String[] NAMES = {"a", "b"};

    /** {@code n} 3×1×2 images whose every pixel is {@code value}; channel k adds k. */
    private static RawImages constant(String name, int n, int value) {
        byte[] px = new byte[n * 6];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                px[i * 6 + c * 2] = (byte) (value + c);
                px[i * 6 + c * 2 + 1] = (byte) (value + c);
            }
        }
        return new RawImages(name, px, new int[n], 3, 1, 2, NAMES);
    }

    @Test
    void pixelMeanComesFromTheTrainingSplitOnly(@TempDir Path cache) throws IOException {
        RawSplits raw = new RawSplits("s", constant("train", 4, 100), constant("val", 2, 200), constant("test", 2, 50));
        DataSplits d = DataLoader.prepare(raw, Preprocessing.preset("pixel-mean"), cache);
        assertThat(d.pixelMean()).isNotNull();
        assertThat(d.pixelMean().values()[0]).isEqualTo(100f);
        assertThat(d.train().pixels()[0]).isCloseTo(0f, within(1e-6f));
        assertThat(d.validation().pixels()[0]).isCloseTo(100f / 255, within(1e-6f));
        assertThat(d.test().pixels()[2]).isCloseTo(-50f / 255, within(1e-6f));
    }

    @Test
    void pixelMeanIsStoredOnceAndReused(@TempDir Path cache) throws IOException {
        RawImages train = constant("train", 3, 10);
        PixelMean first = PixelMean.cached(train, cache);
        try (var files = Files.list(cache.resolve("pixel-mean"))) {
            assertThat(files.count()).isEqualTo(1);
        }
        assertThat(PixelMean.cached(train, cache)).isEqualTo(first);
        assertThat(first.dataFingerprint()).isEqualTo(train.fingerprint());
    }

    @Test
    void meanAndStdAreAppliedPerChannelAfterScaling() {
        Preprocessing p = new Preprocessing("t", 0.5, new float[]{1, 2, 3}, new float[]{2, 4, 8}, false,
                Preprocessing.ChannelOrder.RGB, 0, 0);
        LabeledImages out = Preprocessor.apply(constant("x", 1, 10), p, null);
        assertThat(out.pixels()).containsExactly((5f - 1) / 2, (5f - 1) / 2, (5.5f - 2) / 4, (5.5f - 2) / 4,
                (6f - 3) / 8, (6f - 3) / 8);
    }

    @Test
    void bgrSwapsTheFirstAndThirdChannel() {
        Preprocessing bgr = new Preprocessing("bgr", 1, null, null, false, Preprocessing.ChannelOrder.BGR, 0, 0);
        LabeledImages out = Preprocessor.apply(constant("x", 1, 10), bgr, null);
        assertThat(out.pixels()).containsExactly(12f, 12f, 11f, 11f, 10f, 10f);
    }

    @Test
    void channelStatisticsThatDoNotFitTheImagesAreRefused() {
        RawImages grey = new RawImages("g", new byte[2], new int[]{0, 1}, 1, 1, 1, NAMES);
        assertThatThrownBy(() -> Preprocessor.apply(grey, Preprocessing.preset("cifar10"), null))
                .hasMessageContaining("3 mean values but the images have 1 channel");
    }
}
