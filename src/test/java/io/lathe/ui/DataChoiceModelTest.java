package io.lathe.ui;

import io.lathe.job.EngineRunner;
import io.lathe.job.Progress;
import io.lathe.session.DataProbe;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DataChoiceModelTest {
    /** A probe whose accuracy depends on the preprocessing, recording what it was asked. */
    private static final class FakeProbe implements DataProbe {
        final List<String> measured = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<String> presets() {
            return List.of("raw", "unit", "cifar10");
        }

        @Override
        public String describe(String spec) {
            if (spec.endsWith(".json") && !spec.contains("good")) {
                throw new IllegalArgumentException(spec + ": unknown field 'sclae'");
            }
            return "described " + spec;
        }

        @Override
        public Result measure(Path folder, String spec, int images, Progress progress) {
            measured.add(folder.getFileName() + "/" + spec);
            if (folder.getFileName().toString().equals("two-classes")) {
                throw new IllegalArgumentException("the model has 10 outputs but two-classes has 2 classes");
            }
            return new Result(spec.equals("cifar10") ? 0.8133 : 0.10, 0.04, images, 10);
        }
    }

    private final ManualDelay delay = new ManualDelay();
    private final FakeProbe probe = new FakeProbe();
    private final DataChoiceModel model = new DataChoiceModel(EngineRunner.direct(), Runnable::run, delay, probe, Path.of("cifar"), "unit");

    /** Lets the debounce pass and waits for the engine thread's measurement to report. */
    private void elapse() {
        delay.elapse();
        long end = System.nanoTime() + 10_000_000_000L;
        while (model.measuringProperty().get() && System.nanoTime() < end) {
            Thread.yield();
        }
        assertThat(model.measuringProperty().get()).as("measurement finished").isFalse();
    }

    @Test
    void theAccuracyOfEachChoiceIsMeasuredAfterAPauseAndShown() {
        elapse();
        assertThat(model.accuracyProperty().get()).contains("10.00%");
        model.preprocessProperty().set("cifar10");
        assertThat(model.accuracyProperty().get()).startsWith("Measuring");
        assertThat(model.usableProperty().get()).isFalse();
        elapse();
        assertThat(model.accuracyProperty().get()).contains("81.33%").contains("300 validation images");
        assertThat(model.descriptionProperty().get()).isEqualTo("described cifar10");
        assertThat(model.usableProperty().get()).isTrue();
    }

    @Test
    void quickChangesMeasureOnlyTheNewest() {
        model.preprocessProperty().set("raw");
        model.preprocessProperty().set("cifar10");
        elapse();
        assertThat(probe.measured).containsExactly("cifar/cifar10");
    }

    @Test
    void dataThatDoesNotFitTheModelSaysWhyAndCannotBeOpened() {
        model.folderProperty().set(Path.of("two-classes"));
        elapse();
        assertThat(model.accuracyProperty().get()).contains("has 2 classes");
        assertThat(model.usableProperty().get()).isFalse();
    }

    @Test
    void aBadPreprocessingFileIsNamedWithoutMeasuring() {
        elapse();
        probe.measured.clear();
        model.preprocessProperty().set("/tmp/mine.json");
        assertThat(delay.pending()).isZero();
        assertThat(model.accuracyProperty().get()).contains("unknown field 'sclae'");
        assertThat(model.usableProperty().get()).isFalse();
        assertThat(probe.measured).isEmpty();
    }
}
