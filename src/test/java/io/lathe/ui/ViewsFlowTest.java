package io.lathe.ui;

import javafx.scene.control.CheckBox;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static io.lathe.ui.FlowFixture.onFx;
import static io.lathe.ui.FlowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** Headless flow through the Sensitivity tab and the Export dialog of the real window, on the tiny ResNet. */
class ViewsFlowTest {
    private static FlowFixture fixture;
    private static WorkbenchApp app;
    private static FxRobot robot;

    @BeforeAll
    static void start() throws Exception {
        fixture = FlowFixture.start("lathe-views-test", true);
        app = fixture.app();
        robot = fixture.robot();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.stop();
    }

    @Test
    void aSweepFromTheSensitivityTabFillsTheTreeAndExportGreysInt8WithoutOnnx() throws Exception {
        assertThat(fixture.cell("col-sens", "stem.conv")).isEmpty();
        robot.interact(() -> {
            app.view().sensitivityModel().setLevels(new double[]{0, 0.5, 0.9}, new int[]{4});
            app.view().tabs().getSelectionModel().select(3);
        });
        robot.clickOn("#sensitivity-run-empty");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() ->
                app.view().sensitivityModel().curvesProperty().get() != null
                        && app.view().sensitivityModel().curvesProperty().get().complete()
                        && !app.view().sensitivityModel().runningProperty().get()));
        assertThat(fixture.cell("col-sens", "stem.conv")).matches("(low|medium|high|top 5%) \\(\\d+\\.\\d\\d\\)");
        assertThat(robot.lookup("#sensitivity-heatmap").tryQuery()).isPresent();

        robot.clickOn("#export-button");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#export-artifact-onnx_int8").tryQuery().isPresent());
        CheckBox int8 = robot.lookup("#export-artifact-onnx_int8").queryAs(CheckBox.class);
        assertThat(onFx(int8::isDisabled)).isFalse();
        robot.clickOn("#export-artifact-onnx_fp32");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() ->
                robot.lookup("#export-artifact-onnx_int8").queryAs(CheckBox.class).isDisabled()));
        assertThat(onFx(() -> robot.lookup("#export-artifact-plan").queryAs(CheckBox.class).isSelected())).isTrue();
        robot.interact(() -> Window.getWindows().stream().filter(w -> w.getScene().lookup("#export-folder") != null)
                .findFirst().ifPresent(Window::hide));
    }
}
