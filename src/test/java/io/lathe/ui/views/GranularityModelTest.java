package io.lathe.ui.views;

import io.lathe.compress.Granularity;
import io.lathe.eval.GranularityComparison;
import io.lathe.ui.structure.GranularityModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Granularity tab's view model: level parsing, scope and the comparison's partial results. */
class GranularityModelTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"25, 50, 75|0.25;0.5;0.75", "75 25%|0.25;0.75", "50,50|0.5", "12.5|0.125"})
    void levelsAreTypedAsPercentages(String text, String expected) {
        double[] want = java.util.Arrays.stream(expected.split(";")).mapToDouble(Double::parseDouble).toArray();
        assertThat(GranularityModel.parseLevels(text)).containsExactly(want);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"abc|not a number", "0|between 0 and 100", "100|between 0 and 100",
            "' '|at least one"})
    void badLevelsSayWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> GranularityModel.parseLevels(text)).hasMessageContaining(message);
    }

    @Test
    void theClassifierCannotBeTheScopeAndTheWholeModelStaysChosen() throws Exception {
        try (ViewFixture f = new ViewFixture(dir, true)) {
            GranularityModel m = new GranularityModel(f.wb, Runnable::run);
            f.wb.layers().select("fc", List.of("fc"));
            m.setWholeModel(false);

            assertThat(m.selectedLayerProperty().get()).isNull();
            assertThat(m.layerProblemProperty().get()).contains("'fc' cannot lose channels");
            assertThat(m.wholeModelProperty().get()).isTrue();

            f.wb.layers().select("stem.conv", List.of("stem.conv"));
            m.setWholeModel(false);
            assertThat(m.selectedLayerProperty().get()).isEqualTo("stem.conv");
            assertThat(m.wholeModelProperty().get()).isFalse();
        }
    }

    @Test
    void pointsArriveOneByOneAndTheLastResultHoldsEveryGranularity() throws Exception {
        try (ViewFixture f = new ViewFixture(dir, true)) {
            GranularityModel m = new GranularityModel(f.wb, Runnable::run);
            m.setImages(30);
            m.setRepeats(1);
            m.levelsProperty().set("50");
            List<Integer> pointsSeen = new CopyOnWriteArrayList<>();
            m.resultProperty().addListener((o, a, r) -> {
                if (r != null) {
                    pointsSeen.add(r.series().stream().mapToInt(s -> s.points().size()).sum());
                }
            });

            assertThat(m.run()).isNull();
            ViewFixture.await(() -> !m.runningProperty().get());

            assertThat(f.failures).isEmpty();
            assertThat(pointsSeen).startsWith(0, 1, 2).endsWith(3);
            GranularityComparison.Result r = m.resultProperty().get();
            assertThat(r.scope()).isEqualTo("whole model");
            assertThat(r.images()).isEqualTo(30);
            assertThat(r.series()).extracting(GranularityComparison.Series::granularity)
                    .containsExactly(Granularity.ELEMENT, Granularity.BLOCK, Granularity.CHANNEL);
            GranularityComparison.Point channel = r.series().get(2).points().get(0);
            GranularityComparison.Point element = r.series().get(0).points().get(0);
            assertThat(channel.params()).isLessThan(element.params());
            assertThat(channel.batch64Ms()).isPositive();
            assertThat(m.statusProperty().get()).startsWith("measured 3 points");
        }
    }
}
