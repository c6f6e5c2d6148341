package io.lathe.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreprocessingTest {
    @ParameterizedTest
    @ValueSource(strings = {"raw", "unit", "pixel-mean", "imagenet", "cifar10"})
    void everyPresetSurvivesAJsonRoundTrip(String name) {
        Preprocessing p = Preprocessing.preset(name);
        assertThat(p.name()).isEqualTo(name);
        assertThat(Preprocessing.fromJson(p.toJson())).isEqualTo(p);
        assertThat(Preprocessing.parse(name)).isEqualTo(p);
    }

    @Test
    void presetsHoldTheDesignValues() {
        assertThat(Preprocessing.preset("raw").scale()).isEqualTo(1.0);
        assertThat(Preprocessing.unit().scale()).isEqualTo(1.0 / 255);
        assertThat(Preprocessing.preset("pixel-mean").pixelMean()).isTrue();
        Preprocessing imagenet = Preprocessing.preset("imagenet");
        assertThat(imagenet.mean()).containsExactly(0.485f, 0.456f, 0.406f);
        assertThat(imagenet.std()).containsExactly(0.229f, 0.224f, 0.225f);
        assertThat(imagenet.resize()).isEqualTo(256);
        assertThat(imagenet.crop()).isEqualTo(224);
        assertThat(Preprocessing.preset("cifar10").std()).containsExactly(0.2470f, 0.2435f, 0.2616f);
    }

    @Test
    void describeIsOneReadableLine() {
        assertThat(Preprocessing.preset("cifar10").describe())
                .isEqualTo("cifar10: x/255, mean 0.4914/0.4822/0.4465, std 0.2470/0.2435/0.2616, RGB");
        assertThat(Preprocessing.preset("raw").describe()).isEqualTo("raw: pixels 0-255, RGB");
    }

    @Test
    void unknownPresetListsThePresets() {
        assertThatThrownBy(() -> Preprocessing.preset("caffe"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caffe").hasMessageContaining("raw, unit, pixel-mean, imagenet, cifar10");
    }

    @Test
    void jsonFileInTheDesignFormIsRead(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("exact.json");
        Files.writeString(f, "{\"scale\": 0.00392156862745098, \"mean\": [0.4914, 0.4822, 0.4465], "
                + "\"std\": [0.2023, 0.1994, 0.2010], \"pixelMean\": false, \"channels\": \"BGR\", "
                + "\"resize\": 256, \"crop\": 224}");
        Preprocessing p = Preprocessing.parse(f.toString());
        assertThat(p.name()).isEqualTo("exact");
        assertThat(p.std()).containsExactly(0.2023f, 0.1994f, 0.2010f);
        assertThat(p.channels()).isEqualTo(Preprocessing.ChannelOrder.BGR);
        assertThat(p.resize()).isEqualTo(256);
        assertThat(Preprocessing.fromJson(p.toJson())).isEqualTo(p);
    }

    @Test
    void everyFieldIsOptional() {
        Preprocessing p = Preprocessing.fromJson("{}");
        assertThat(p.scale()).isEqualTo(Preprocessing.unit().scale());
        assertThat(p.mean()).isNull();
        assertThat(p.pixelMean()).isFalse();
        assertThat(p.channels()).isEqualTo(Preprocessing.ChannelOrder.RGB);
    }

    @Test
    void unknownFieldIsRefusedByName(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{\"scale\": 1, \"stdev\": [0.2]}");
        assertThatThrownBy(() -> Preprocessing.parse(f.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"stdev\"")
                .hasMessageContaining("p.json");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> Preprocessing.parse("/nowhere/p.json")).hasMessageContaining("/nowhere/p.json")
                .hasMessageContaining("not found");
    }

    @Test
    void equalityComparesArraysByContent() {
        Preprocessing a = new Preprocessing("x", 1, new float[]{1, 2, 3}, null, false,
                Preprocessing.ChannelOrder.RGB, 0, 0);
        Preprocessing b = new Preprocessing("x", 1, new float[]{1, 2, 3}, null, false,
                Preprocessing.ChannelOrder.RGB, 0, 0);
        Preprocessing c = new Preprocessing("x", 1, new float[]{1, 2, 4}, null, false,
                Preprocessing.ChannelOrder.RGB, 0, 0);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }

    @Test
    void meanAndStdOfDifferentLengthsAreRefused() {
        assertThatThrownBy(() -> Preprocessing.fromJson("{\"mean\": [0.5, 0.5], \"std\": [0.2]}"))
                .hasMessageContaining("mean has 2 values but std has 1");
    }
}
