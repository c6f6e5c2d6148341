package io.lathe.ui;

import io.lathe.model.TreeNode;
import io.lathe.session.TinyModels;
import io.lathe.session.UserSettings;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real workbench window on a tiny ResNet and a tiny idx data folder (in a temporary folder that
 * {@link #stop} deletes), for headless TestFX flows, with the lookups the flows share.
 */
final class FlowFixture {
    private final Path dir;
    private final Stage stage;
    private final WorkbenchApp app;
    private final FxRobot robot = new FxRobot();

    private FlowFixture(Path dir, Stage stage, WorkbenchApp app) {
        this.dir = dir;
        this.stage = stage;
        this.app = app;
    }

    /**
     * Starts the window and waits for the baseline. With {@code calibrateBn} false, new plans carry
     * no BatchNorm calibration, so each preview is a plain evaluation and the flow stays fast.
     */
    static FlowFixture start(String name, boolean calibrateBn) throws Exception {
        Path dir = Files.createTempDirectory(name);
        Path zip = TinyModels.saveZip(dir);
        Path data = TinyModels.writeIdx(dir.resolve("data"));
        System.setProperty("lathe.data", data.toString());
        System.setProperty(UserSettings.FOLDER_PROPERTY, dir.resolve("config").toString());
        System.setProperty("headless.geometry", "1600x1000-32");
        if (!calibrateBn) {
            System.setProperty(WorkspaceModel.BN_IMAGES_PROPERTY, "0");
        }
        Stage stage = FxToolkit.registerPrimaryStage();
        WorkbenchApp app = (WorkbenchApp) FxToolkit.setupApplication(WorkbenchApp.class, zip.toString());
        waitFor(60, () -> app.model().baselineProperty().get() != null);
        return new FlowFixture(dir, stage, app);
    }

    /** Closes the window, clears the properties and deletes the temporary folder. */
    void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        System.clearProperty("lathe.data");
        System.clearProperty(UserSettings.FOLDER_PROPERTY);
        System.clearProperty(WorkspaceModel.BN_IMAGES_PROPERTY);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // A file still held open is left for the OS to clean up.
                }
            }
        }
    }

    Path dir() {
        return dir;
    }

    Stage stage() {
        return stage;
    }

    WorkbenchApp app() {
        return app;
    }

    FxRobot robot() {
        return robot;
    }

    static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }

    /** Runs {@code c} on the FX thread and returns its result. */
    static <T> T onFx(Callable<T> c) {
        return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(c));
    }

    /** The text of the label with this CSS selector (e.g. "#preview-accuracy"). */
    String text(String selector) {
        return onFx(() -> robot.lookup(selector).queryAs(Label.class).getText());
    }

    @SuppressWarnings("unchecked")
    TreeTableView<TreeNode> tree() {
        return (TreeTableView<TreeNode>) robot.lookup("#layer-tree").query();
    }

    /** Every layer row below {@code item}. */
    static List<TreeItem<TreeNode>> leaves(TreeItem<TreeNode> item) {
        List<TreeItem<TreeNode>> out = new ArrayList<>();
        if (item.getValue().layer() != null) {
            out.add(item);
        }
        item.getChildren().forEach(c -> out.addAll(leaves(c)));
        return out;
    }

    /** The tree row of a layer. */
    TreeItem<TreeNode> itemOf(String layer) {
        return leaves(tree().getRoot()).stream().filter(i -> i.getValue().layer().name().equals(layer)).findFirst()
                .orElseThrow();
    }

    /** The value a tree column (by id) shows for a layer. */
    String cell(String columnId, String layer) {
        return onFx(() -> {
            for (TreeTableColumn<TreeNode, ?> c : tree().getColumns()) {
                if (columnId.equals(c.getId())) {
                    return String.valueOf(c.getCellData(itemOf(layer)));
                }
            }
            throw new IllegalArgumentException("no tree column " + columnId);
        });
    }
}
