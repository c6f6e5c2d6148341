package io.lathe.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.lathe.cli.CliJson;
import io.lathe.compress.PlanJson;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static io.lathe.ui.FlowFixture.onFx;
import static io.lathe.ui.FlowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run → Evaluate plan on the test split in the real window builds the request {@code lathe eval --plan}
 * builds, and shows the same figure the command line prints for the saved plan.
 */
class EvaluateFlowTest {
    private static FlowFixture fixture;
    private static WorkbenchApp app;
    private static FxRobot robot;

    @BeforeAll
    static void start() throws Exception {
        fixture = FlowFixture.start("lathe-evaluate-test", false);
        app = fixture.app();
        robot = fixture.robot();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.stop();
    }

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
        DialogPane d = onFx(EvaluateFlowTest::dialog);
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
