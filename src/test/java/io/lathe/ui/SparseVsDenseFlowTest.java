package io.lathe.ui;

import io.lathe.session.TinyModels;
import io.lathe.ui.finetune.SparseVsDenseModel;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.lathe.ui.FlowFixture.onFx;
import static io.lathe.ui.FlowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** Headless flow through the one-click large-sparse vs small-dense experiment of the real window, on tiny ResNets. */
class SparseVsDenseFlowTest {
    private static Path small;
    private static FlowFixture fixture;
    private static WorkbenchApp app;
    private static FxRobot robot;

    @BeforeAll
    static void start() throws Exception {
        fixture = FlowFixture.start("lathe-svd-test", true);
        app = fixture.app();
        robot = fixture.robot();
        small = TinyModels.saveSmaller(fixture.dir());
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.stop();
    }

    @Test
    void oneClickComparesTheOpenModelPrunedWithTheSmallModelAndConcludes() throws Exception {
        robot.interact(() -> {
            var tabs = app.view().tabs();
            tabs.getTabs().stream().filter(t -> "Fine-tune".equals(t.getText())).findFirst()
                    .ifPresent(t -> tabs.getSelectionModel().select(t));
        });
        robot.clickOn("Large-sparse vs small-dense");
        TextField smallField = robot.lookup("#svd-small-file").queryAs(TextField.class);
        robot.interact(() -> smallField.setText(fixture.dir().resolve("missing.zip").toString()));
        assertThat(fixture.text("#svd-problem")).contains("does not exist");
        assertThat(onFx(() -> robot.lookup("#svd-run").queryAs(Button.class).isDisabled())).isTrue();

        robot.interact(() -> smallField.setText(small.toString()));
        TextField epochs = robot.lookup("#svd-epochs").queryAs(TextField.class);
        robot.interact(() -> epochs.setText("0.5"));
        assertThat(fixture.text("#svd-problem")).isEmpty();
        assertThat(fixture.text("#svd-info")).contains("one pass over the first 180 of 360 training images");
        Button run = robot.lookup("#svd-run").queryAs(Button.class);
        robot.interact(run::fire);
        SparseVsDenseModel m = app.view().fineTuneModel().experiment();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() ->
                m.stateProperty().get() != LatestJob.State.RUNNING));
        assertThat(onFx(() -> m.stateProperty().get())).isEqualTo(LatestJob.State.DONE);
        assertThat(fixture.text("#svd-conclusion")).matches("large-sparse \\d+\\.\\d\\d% at [\\d,.]+ (k )?non-zeros vs "
                + "small-dense \\d+\\.\\d\\d% at [\\d,.]+ (k )?non-zeros: .* \\(.*test top-1 on 100 images, measured\\)");
        ChartViewer chart = robot.lookup("#svd-accuracy-chart").queryAs(ChartViewer.class);
        int[] drawn = onFx(() -> new int[]{chart.getChart().getXYPlot().getDataset().getItemCount(0),
                chart.getChart().getXYPlot().getDataset().getItemCount(1)});
        assertThat(drawn).containsExactly(2, 2);
        assertThat(fixture.text("#svd-status")).contains("record written to");
    }
}
