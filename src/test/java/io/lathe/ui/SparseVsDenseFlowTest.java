package io.lathe.ui;

import io.lathe.session.SmallModels;
import io.lathe.session.TinyModels;
import io.lathe.session.UserSettings;
import io.lathe.ui.finetune.SparseVsDenseModel;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Headless flow through the one-click large-sparse vs small-dense experiment of the real window, on tiny ResNets. */
class SparseVsDenseFlowTest {
    private static Path dir;
    private static Path small;
    private static WorkbenchApp app;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lathe-svd-test");
        Path zip = TinyModels.saveZip(dir);
        small = SmallModels.smaller(dir);
        Path data = TinyModels.writeIdx(dir.resolve("data"));
        System.setProperty("lathe.data", data.toString());
        System.setProperty(UserSettings.FOLDER_PROPERTY, dir.resolve("config").toString());
        System.setProperty("headless.geometry", "1600x1000-32");
        FxToolkit.registerPrimaryStage();
        app = (WorkbenchApp) FxToolkit.setupApplication(WorkbenchApp.class, zip.toString());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> app.model().baselineProperty().get() != null);
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        System.clearProperty("lathe.data");
        System.clearProperty(UserSettings.FOLDER_PROPERTY);
    }

    private static <T> T onFx(Callable<T> c) {
        return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(c));
    }

    private static String text(String id) {
        return onFx(() -> robot.lookup(id).queryAs(Label.class).getText());
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
        robot.interact(() -> smallField.setText(dir.resolve("missing.zip").toString()));
        assertThat(text("#svd-problem")).contains("does not exist");
        assertThat(onFx(() -> robot.lookup("#svd-run").queryAs(Button.class).isDisabled())).isTrue();

        robot.interact(() -> smallField.setText(small.toString()));
        TextField epochs = robot.lookup("#svd-epochs").queryAs(TextField.class);
        robot.interact(() -> epochs.setText("0.5"));
        assertThat(text("#svd-problem")).isEmpty();
        assertThat(text("#svd-info")).contains("one pass over the first 180 of 360 training images");
        Button run = robot.lookup("#svd-run").queryAs(Button.class);
        robot.interact(run::fire);
        SparseVsDenseModel m = app.view().fineTuneModel().experiment();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() ->
                m.stateProperty().get() != SparseVsDenseModel.State.RUNNING));
        assertThat(onFx(() -> m.stateProperty().get())).isEqualTo(SparseVsDenseModel.State.DONE);
        assertThat(text("#svd-conclusion")).matches("large-sparse \\d+\\.\\d\\d% at [\\d,.]+ (k )?non-zeros vs "
                + "small-dense \\d+\\.\\d\\d% at [\\d,.]+ (k )?non-zeros: .* \\(.*test top-1 on 100 images, measured\\)");
        ChartViewer chart = robot.lookup("#svd-accuracy-chart").queryAs(ChartViewer.class);
        int[] drawn = onFx(() -> new int[]{chart.getChart().getXYPlot().getDataset().getItemCount(0),
                chart.getChart().getXYPlot().getDataset().getItemCount(1)});
        assertThat(drawn).containsExactly(2, 2);
        assertThat(text("#svd-status")).contains("record written to");
    }
}
