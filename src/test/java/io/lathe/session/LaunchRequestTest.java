package io.lathe.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchRequestTest {
    @Test
    void noArgumentsOpenTheSample() {
        assertThat(LaunchRequest.parse(new String[0])).contains(LaunchRequest.sample());
    }

    @Test
    void aModelFileWithDataAndPreprocessingOpensTheWindow() {
        LaunchRequest r = LaunchRequest.parse(new String[]{"my-model.onnx", "--data", "cifar", "--preprocess", "cifar10"})
                .orElseThrow();
        assertThat(r.model()).isEqualTo(Path.of("my-model.onnx"));
        assertThat(r.data()).isEqualTo(Path.of("cifar"));
        assertThat(r.preprocess()).isEqualTo("cifar10");
    }

    @Test
    void aRequestSurvivesTheTripThroughTheApplicationParameters() {
        LaunchRequest r = new LaunchRequest(Path.of("m.h5"), Path.of("data"), "raw");
        assertThat(LaunchRequest.parse(r.toArgs())).contains(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-V", "no-such-subcommand-or-file"})
    void optionsAndUnknownWordsAreLeftToTheCommandLine(String arg) {
        assertThat(LaunchRequest.parse(new String[]{arg, "--json"})).isEmpty();
    }

    @Test
    void aStrayArgumentAfterTheModelIsRefusedWithTheUsage() {
        assertThatThrownBy(() -> LaunchRequest.parse(new String[]{"m.zip", "--json"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'--json'").hasMessageContaining("MODEL [--data DIR]");
    }
}
