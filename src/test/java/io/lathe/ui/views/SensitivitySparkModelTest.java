package io.lathe.ui.views;

import io.lathe.data.DataRequest;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.session.SensitivityService;
import io.lathe.session.Workspace;
import io.lathe.ui.sensitivity.SensitivityModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Sensitivity tab sending its sweep to Spark ({@code local[2]}) and reading the results back. */
class SensitivitySparkModelTest extends ViewModelTest {
    @Test
    void sweepSentToSparkFillsTheCurvesAndTheMasterIsRemembered() throws Exception {
        LoadedModel m = ModelLoader.load(Path.of("sample-models/resnet8-fashion.zip"));
        Workspace ws = Workspace.of(m, DataRequest.of(null, m.inputShape(), m.preprocessing(), null).open(),
                Progress.none());
        f = new ViewFixture(dir, ws);
        SensitivityService service = new SensitivityService(dir.resolve("store"));
        SensitivityModel model = new SensitivityModel(f.wb, service, Runnable::run);
        model.setLevels(new double[]{0.5}, new int[0]);
        model.clusterMasterProperty().set("local[2]");

        model.runOnCluster();
        ViewFixture.await(() -> !model.runningProperty().get());

        assertThat(f.failures).isEmpty();
        assertThat(model.curvesProperty().get().complete()).isTrue();
        assertThat(model.statusProperty().get()).contains("complete");
        assertThat(f.wb.settings().get("sensitivity.sparkMaster")).contains("local[2]");
        assertThat(new SensitivityModel(f.wb, service, Runnable::run).clusterMasterProperty().get()).isEqualTo("local[2]");
    }

    @Test
    void malformedMasterIsReportedAndNothingRuns() throws Exception {
        f = new ViewFixture(dir, true);
        SensitivityModel model = new SensitivityModel(f.wb, new SensitivityService(dir.resolve("store")), Runnable::run);
        model.clusterMasterProperty().set("spark://nohost");

        model.runOnCluster();

        assertThat(model.runningProperty().get()).isFalse();
        assertThat(f.failures).singleElement().extracting(Throwable::getMessage).asString().contains("HOST:PORT");
    }
}
