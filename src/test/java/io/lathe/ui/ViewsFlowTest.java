package io.lathe.ui;

import javafx.scene.control.CheckBox;
import java.util.Locale;
import java.nio.file.Path;
import java.nio.file.Files;
import javafx.scene.control.TextField;
import javafx.scene.control.MenuItem;
import javafx.scene.control.MenuBar;
import javafx.scene.control.Label;
import javafx.scene.control.DialogPane;
import io.lathe.compress.PlanJson;
import io.lathe.cli.CliJson;
import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * Headless flow through the Sensitivity tab, the Export dialog and Run → Evaluate plan of the real window, on
 * the tiny ResNet.
 */
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

    /**
     * Run → Evaluate plan on the test split builds the request {@code lathe eval --plan} builds, and shows the
     * same figure the command line prints for the saved plan.
     */
    @Test
    void theWindowsTestEvaluationEqualsTheCommandLinesForTheSamePlan() throws Exception {
        robot.interact(() -> app.model().setUniformSparsity(0.7, false));
        Path planFile = fixture.dir().resolve("evaluated.plan.json");
        Files.writeString(planFile, onFx(() -> PlanJson.write(app.model().editor().plan())));
        robot.interact(() -> {
            MenuBar bar = (MenuBar) app.view().lookup("#menu-bar");
            MenuItem item = bar.getMenus().stream().flatMap(m -> m.getItems().stream())
                    .filter(i -> "menu-evaluate-test".equals(i.getId())).findFirst().orElseThrow();
            assertThat(item.isDisable()).isFalse();
            item.fire();
        });
        waitFor(60, () -> dialog() != null);
        DialogPane d = onFx(ViewsFlowTest::dialog);
        String figures = onFx(() -> ((Label) d.lookup("#evaluation-figures")).getText());
        String command = onFx(() -> ((TextField) d.lookup("#evaluation-command")).getText());
        var outcome = onFx(() -> app.view().evaluationModel().outcomeProperty().get());
        assertThat(outcome.request().split()).isEqualTo("test");
        assertThat(command).contains(" eval --model ").contains(" --split test");

        String model = outcome.request().model().file();
        JsonNode cli = CliJson.run("eval", "--model", model, "--data", outcome.request().data().folder(), "--plan",
                planFile.toString(), "--split", "test", "--json");
        assertThat(outcome.result().top1()).isEqualTo(cli.get("top1").asDouble());
        assertThat(outcome.result().images()).isEqualTo(cli.get("images").asInt());
        assertThat(outcome.result().nonZeroParams()).isEqualTo(cli.get("nonZeroParams").asLong());
        assertThat(figures).contains(String.format(Locale.ROOT, "Top-1 %.2f%%", 100 * cli.get("top1").asDouble()));
        robot.interact(() -> d.getScene().getWindow().hide());
    }

    private static DialogPane dialog() {
        return Window.getWindows().stream().filter(w -> w.getScene() != null
                        && w.getScene().getRoot() instanceof DialogPane p && p.lookup("#evaluation-figures") != null)
                .map(w -> (DialogPane) w.getScene().getRoot()).findFirst().orElse(null);
    }
}
