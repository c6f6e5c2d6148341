package io.lathe.ui;

import io.lathe.model.TreeNode;
import io.lathe.session.TinyModels;
import io.lathe.session.UserSettings;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Headless flow through the real window: weight sharing in the layer panel, then the low-rank panel. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MethodsFlowTest {
    private static final String LAYER = "stage2.block0.conv1";
    private static Path dir;
    private static WorkbenchApp app;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lathe-methods-test");
        Path zip = TinyModels.saveZip(dir);
        Path data = TinyModels.writeIdx(dir.resolve("data"));
        System.setProperty("lathe.data", data.toString());
        System.setProperty(UserSettings.FOLDER_PROPERTY, dir.resolve("config").toString());
        System.setProperty("headless.geometry", "1600x1000-32");
        System.setProperty(WorkbenchModel.BN_IMAGES_PROPERTY, "0");
        FxToolkit.registerPrimaryStage();
        app = (WorkbenchApp) FxToolkit.setupApplication(WorkbenchApp.class, zip.toString());
        waitFor(60, () -> app.model().baselineProperty().get() != null);
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        System.clearProperty("lathe.data");
        System.clearProperty(UserSettings.FOLDER_PROPERTY);
        System.clearProperty(WorkbenchModel.BN_IMAGES_PROPERTY);
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }

    private static <T> T onFx(Callable<T> c) {
        return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(c));
    }

    @SuppressWarnings("unchecked")
    private static TreeTableView<TreeNode> tree() {
        return (TreeTableView<TreeNode>) robot.lookup("#layer-tree").query();
    }

    private static List<TreeItem<TreeNode>> leaves(TreeItem<TreeNode> item) {
        List<TreeItem<TreeNode>> out = new ArrayList<>();
        if (item.getValue().layer() != null) {
            out.add(item);
        }
        item.getChildren().forEach(c -> out.addAll(leaves(c)));
        return out;
    }

    private static TreeItem<TreeNode> itemOf(String layer) {
        return leaves(tree().getRoot()).stream().filter(i -> i.getValue().layer().name().equals(layer)).findFirst()
                .orElseThrow();
    }

    private static String cell(String columnId, String layer) {
        return onFx(() -> {
            for (TreeTableColumn<TreeNode, ?> c : tree().getColumns()) {
                if (columnId.equals(c.getId())) {
                    return String.valueOf(c.getCellData(itemOf(layer)));
                }
            }
            throw new IllegalArgumentException(columnId);
        });
    }

    private static String text(String id) {
        return onFx(() -> ((Label) robot.lookup(id).query()).getText());
    }

    /** Scrolls the right column so that {@code node} is in view. */
    private static void reveal(Node node) {
        robot.interact(() -> {
            ScrollPane scroll = (ScrollPane) robot.lookup(".right-scroll").query();
            double contentHeight = scroll.getContent().getBoundsInLocal().getHeight();
            double viewport = scroll.getViewportBounds().getHeight();
            double y = scroll.getContent().sceneToLocal(node.localToScene(0, 0)).getY();
            scroll.setVvalue(contentHeight <= viewport ? 0 : Math.min(1, Math.max(0, (y - 40) / (contentHeight - viewport))));
        });
    }

    @Test
    @Order(1)
    void sharingALayersWeightsShowsInTheTreeAndShrinksTheStatedSize() throws Exception {
        robot.interact(() -> {
            TreeItem<TreeNode> item = itemOf(LAYER);
            for (TreeItem<TreeNode> p = item.getParent(); p != null; p = p.getParent()) {
                p.setExpanded(true);
            }
            tree().getSelectionModel().clearAndSelect(tree().getRow(item));
            tree().scrollTo(tree().getRow(item));
        });
        waitFor(10, () -> app.model().layers().layer() != null);
        assertThat(cell("col-bits", LAYER)).isEqualTo("32");
        String sizeBefore = text("#summary-size");
        ToggleButton share16 = robot.lookup("#share-4").queryAs(ToggleButton.class);
        reveal(share16);
        robot.clickOn(share16);
        waitFor(10, () -> "sh4".equals(cell("col-bits", LAYER)));
        assertThat(app.model().editor().plan().shareOf(LAYER).centroids()).isEqualTo(16);
        waitFor(10, () -> !text("#summary-size").equals(sizeBefore));
        waitFor(40, () -> app.model().preview().latest() != null && app.model().preview().latest().exact()
                && app.model().preview().latest().plan().equals(app.model().editor().plan()));
    }

    @Test
    @Order(2)
    void theLowRankPanelMovesTheRankAndMeasuresTheFactorizedModel() throws Exception {
        TitledPane pane = robot.lookup("#low-rank-pane").queryAs(TitledPane.class);
        reveal(pane);
        robot.clickOn(pane.lookup(".title"));
        waitFor(20, () -> onFx(() -> !robot.lookup("#rank-readout").queryAs(Label.class).getText().startsWith("computing")
                && !robot.lookup("#rank-readout").queryAs(Label.class).getText().isEmpty()));
        Slider slider = robot.lookup("#rank-slider").queryAs(Slider.class);
        reveal(slider);
        robot.interact(() -> slider.setValue(2));
        waitFor(5, () -> text("#rank-readout").startsWith("rank 2 of "));
        Button measure = robot.lookup("#low-rank-measure").queryAs(Button.class);
        reveal(measure);
        robot.clickOn(measure);
        waitFor(60, () -> text("#low-rank-accuracy").contains("→"));
        assertThat(text("#low-rank-size")).contains("params");
        assertThat(text("#low-rank-batch64")).matches(".*ms → .*ms.*");
        assertThat(text("#low-rank-sample")).startsWith("Measured at rank 2").contains("validation images");
    }
}
