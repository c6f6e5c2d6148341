package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.session.StructureService;
import javafx.scene.control.Button;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static io.lathe.ui.FlowFixture.onFx;
import static io.lathe.ui.FlowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless flow through the Structure tab of the real window on the tiny ResNet: channel settings
 * mark the tree's Speed column, the removal fills the after-latency row, and continuing (confirmed in
 * the dialog) makes the smaller network the model in use, until "Back to …" returns to the original.
 */
class StructureFlowTest {
    private static FlowFixture fixture;
    private static WorkbenchApp app;
    private static FxRobot robot;

    @BeforeAll
    static void start() throws Exception {
        fixture = FlowFixture.start("lathe-structure-test", true);
        app = fixture.app();
        robot = fixture.robot();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.stop();
    }

    @Test
    void removingChannelsFillsTheAfterRowAndContinueSwitchesTheModel() throws Exception {
        robot.interact(() -> {
            app.view().structureModel().setEffort(n -> new StructureService.Effort(n, 2, 1, 1));
            app.view().structureModel().setImages(500);
            app.view().tabs().getSelectionModel().select(app.view().tabs().getTabs().stream()
                    .filter(t -> "tab-structure".equals(t.getId())).findFirst().orElseThrow());
        });
        assertThat(fixture.text("#structure-problem")).contains("removes no whole channels");
        assertThat(onFx(() -> robot.lookup("#structure-run").queryAs(Button.class).isDisabled())).isTrue();

        robot.interact(() -> {
            app.model().setDefaultGranularity(Granularity.CHANNEL);
            app.model().setUniformSparsity(0.5, false);
        });
        assertThat(fixture.cell("col-speed", "stage2.block0.conv1")).isEqualTo("real");
        robot.clickOn("#structure-run");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() ->
                robot.lookup("#structure-after-b64").tryQuery().isPresent()));
        assertThat(fixture.text("#structure-after-b64")).matches("\\d+\\.\\d\\d ms");
        assertThat(fixture.text("#structure-before-b64")).matches("\\d+\\.\\d\\d ms");
        long before = Long.parseLong(fixture.text("#structure-before-params").replace(",", ""));
        long after = Long.parseLong(fixture.text("#structure-after-params").replace(",", ""));
        assertThat(after).isLessThan(before);

        assertThat(onFx(() -> robot.lookup("#structure-continue").queryAs(Button.class).isDisabled())).isFalse();
        robot.clickOn("#structure-continue");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("Continue").tryQuery().isPresent());
        robot.clickOn("Continue");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() ->
                app.model().workspace().modelName().equals("tiny-resnet-channel")));
        assertThat(onFx(() -> app.model().workspaces().baseStatsProperty().get().totalParams())).isEqualTo(after);
        assertThat(fixture.cell("col-speed", "stage2.block0.conv1")).isEmpty();
        assertThat(onFx(() -> robot.lookup("#structure-back").queryAs(Button.class).getText()))
                .isEqualTo("Back to tiny-resnet");

        robot.clickOn("#structure-back");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() ->
                app.model().workspace().modelName().equals("tiny-resnet")));
        assertThat(fixture.cell("col-speed", "stage2.block0.conv1")).isEqualTo("real");
    }
}
