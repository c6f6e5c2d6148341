package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.model.TreeNode;
import io.lathe.session.StructureService;
import io.lathe.session.TinyModels;
import io.lathe.session.UserSettings;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
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

/**
 * Headless flow through the Structure tab of the real window on the tiny ResNet: channel settings
 * mark the tree's Speed column, the removal fills the after-latency row, and continuing (confirmed in
 * the dialog) makes the smaller network the model in use, until "Back to …" returns to the original.
 */
class StructureFlowTest {
    private static Path dir;
    private static WorkbenchApp app;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lathe-structure-test");
        Path zip = TinyModels.saveZip(dir);
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
        return onFx(() -> ((Label) robot.lookup(id).query()).getText());
    }

    @SuppressWarnings("unchecked")
    private static String speedCell(String layer) {
        return onFx(() -> {
            TreeTableView<TreeNode> t = (TreeTableView<TreeNode>) robot.lookup("#layer-tree").query();
            TreeItem<TreeNode> item = find(t.getRoot(), layer);
            for (TreeTableColumn<TreeNode, ?> c : t.getColumns()) {
                if ("col-speed".equals(c.getId())) {
                    return String.valueOf(c.getCellData(item));
                }
            }
            throw new IllegalStateException("no speed column");
        });
    }

    private static TreeItem<TreeNode> find(TreeItem<TreeNode> i, String layer) {
        if (i.getValue().layer() != null && i.getValue().layer().name().equals(layer)) {
            return i;
        }
        for (TreeItem<TreeNode> c : i.getChildren()) {
            TreeItem<TreeNode> f = find(c, layer);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    @Test
    void removingChannelsFillsTheAfterRowAndContinueSwitchesTheModel() throws Exception {
        robot.interact(() -> {
            app.view().structureModel().setEffort(n -> new StructureService.Effort(n, 2, 1, 1));
            app.view().structureModel().setImages(500);
            app.view().tabs().getSelectionModel().select(app.view().tabs().getTabs().stream()
                    .filter(t -> "tab-structure".equals(t.getId())).findFirst().orElseThrow());
        });
        assertThat(text("#structure-problem")).contains("removes no whole channels");
        assertThat(onFx(() -> robot.lookup("#structure-run").queryAs(Button.class).isDisabled())).isTrue();

        robot.interact(() -> {
            app.model().setDefaultGranularity(Granularity.CHANNEL);
            app.model().setUniformSparsity(0.5, false);
        });
        assertThat(speedCell("stage2.block0.conv1")).isEqualTo("real");
        robot.clickOn("#structure-run");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() ->
                robot.lookup("#structure-after-b64").tryQuery().isPresent()));
        assertThat(text("#structure-after-b64")).matches("\\d+\\.\\d\\d ms");
        assertThat(text("#structure-before-b64")).matches("\\d+\\.\\d\\d ms");
        long before = Long.parseLong(text("#structure-before-params").replace(",", ""));
        long after = Long.parseLong(text("#structure-after-params").replace(",", ""));
        assertThat(after).isLessThan(before);

        assertThat(onFx(() -> robot.lookup("#structure-continue").queryAs(Button.class).isDisabled())).isFalse();
        robot.clickOn("#structure-continue");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("Continue").tryQuery().isPresent());
        robot.clickOn("Continue");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() ->
                app.model().workspace().modelName().equals("tiny-resnet-channel")));
        assertThat(onFx(() -> app.model().baseStatsProperty().get().totalParams())).isEqualTo(after);
        assertThat(speedCell("stage2.block0.conv1")).isEmpty();
        assertThat(onFx(() -> robot.lookup("#structure-back").queryAs(Button.class).getText()))
                .isEqualTo("Back to tiny-resnet");

        robot.clickOn("#structure-back");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() ->
                app.model().workspace().modelName().equals("tiny-resnet")));
        assertThat(speedCell("stage2.block0.conv1")).isEqualTo("real");
    }
}
