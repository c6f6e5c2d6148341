package io.lathe.model;

import io.lathe.data.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelPreprocessingTest {
    private static final String SHA = "ab".repeat(32);

    @Test
    void sidecarPresetNameIsTheModelsPreprocessing(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("net.h5");
        Files.writeString(dir.resolve("net.json"), "{\"inputShape\": [3, 32, 32], \"preprocess\": \"cifar10\"}");
        List<String> notes = new ArrayList<>();
        Preprocessing p = ModelPreprocessing.resolve(m, SHA, new ModelPreprocessingStore(dir.resolve("store")), notes);
        assertThat(p).isEqualTo(Preprocessing.preset("cifar10"));
        assertThat(notes).isEmpty();
    }

    @Test
    void sidecarObjectIsRead(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("net.zip");
        Files.writeString(dir.resolve("net.json"), "{\"preprocess\": {\"scale\": 1, \"channels\": \"BGR\"}}");
        Preprocessing p = ModelPreprocessing.resolve(m, SHA, null, new ArrayList<>());
        assertThat(p.scale()).isEqualTo(1.0);
        assertThat(p.channels()).isEqualTo(Preprocessing.ChannelOrder.BGR);
        assertThat(p.name()).isEqualTo("net");
    }

    @Test
    void badSidecarFieldIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("net.json"), "{\"preprocess\": {\"scael\": 1}}");
        assertThatThrownBy(() -> ModelPreprocessing.resolve(dir.resolve("net.zip"), SHA, null, new ArrayList<>()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("net.json").hasMessageContaining("scael");
    }

    @Test
    void rememberedChoiceIsUsedWhenTheModelStatesNone(@TempDir Path dir) throws Exception {
        ModelPreprocessingStore store = new ModelPreprocessingStore(dir.resolve("store"));
        store.save(SHA, Preprocessing.preset("raw"));
        List<String> notes = new ArrayList<>();
        assertThat(ModelPreprocessing.resolve(dir.resolve("net.zip"), SHA, store, notes))
                .isEqualTo(Preprocessing.preset("raw"));
        assertThat(notes).isEmpty();
    }

    @Test
    void withNothingStatedUnitIsAssumedWithANote(@TempDir Path dir) throws IOException, ModelLoadException {
        List<String> notes = new ArrayList<>();
        Preprocessing p = ModelPreprocessing.resolve(dir.resolve("net.zip"), SHA,
                new ModelPreprocessingStore(dir.resolve("store")), notes);
        assertThat(p).isEqualTo(Preprocessing.unit());
        assertThat(notes).containsExactly("No preprocessing stated with the model; assumed x/255 (unit). "
                + "Set it with --preprocess or in the data dialog.");
    }
}
