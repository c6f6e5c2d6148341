package io.lathe.ui;

import io.lathe.model.TreeNode;
import io.lathe.session.TinyModels;
import io.lathe.session.UserSettings;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.stage.Window;
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

/** Headless flow through the Sensitivity tab and the Export dialog of the real window, on the tiny ResNet. */
class ViewsFlowTest {
    private static Path dir;
    private static WorkbenchApp app;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lathe-views-test");
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

    @SuppressWarnings("unchecked")
    private static String sensitivityCell(String layer) {
        return onFx(() -> {
            TreeTableView<TreeNode> t = (TreeTableView<TreeNode>) robot.lookup("#layer-tree").query();
            TreeItem<TreeNode> item = find(t.getRoot(), layer);
            for (TreeTableColumn<TreeNode, ?> c : t.getColumns()) {
                if ("col-sens".equals(c.getId())) {
                    return String.valueOf(c.getCellData(item));
                }
            }
            throw new IllegalStateException("no sensitivity column");
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
    void aSweepFromTheSensitivityTabFillsTheTreeAndExportGreysInt8WithoutOnnx() throws Exception {
        assertThat(sensitivityCell("stem.conv")).isEmpty();
        robot.interact(() -> {
            app.view().sensitivityModel().setLevels(new double[]{0, 0.5, 0.9}, new int[]{4});
            app.view().tabs().getSelectionModel().select(3);
        });
        robot.clickOn("#sensitivity-run-empty");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() ->
                app.view().sensitivityModel().curvesProperty().get() != null
                        && app.view().sensitivityModel().curvesProperty().get().complete()
                        && !app.view().sensitivityModel().runningProperty().get()));
        assertThat(sensitivityCell("stem.conv")).matches("(low|medium|high|top 5%) \\(\\d+\\.\\d\\d\\)");
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
