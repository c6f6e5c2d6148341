package io.lathe.ui;

import io.lathe.model.LayerInfo;
import io.lathe.model.TreeNode;
import io.lathe.session.TinyModels;
import io.lathe.session.UserSettings;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javafx.stage.Window;
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

/** Headless flows through the real window on a tiny ResNet and a tiny idx data folder. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchFlowTest {
    private static final String LAYER = "stem.conv";
    private static Path dir;
    private static WorkbenchApp app;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lathe-ui-test");
        Path zip = TinyModels.saveZip(dir);
        Path data = TinyModels.writeIdx(dir.resolve("data"));
        System.setProperty("lathe.data", data.toString());
        System.setProperty(UserSettings.FOLDER_PROPERTY, dir.resolve("config").toString());
        System.setProperty("headless.geometry", "1600x1000-32");
        // BatchNorm calibration (on by default) is covered by the view-model and workspace tests;
        // off here, each preview is a plain evaluation and the flow stays fast.
        System.setProperty(WorkbenchModel.BN_IMAGES_PROPERTY, "0");
        Stage stage = FxToolkit.registerPrimaryStage();
        app = (WorkbenchApp) FxToolkit.setupApplication(WorkbenchApp.class, zip.toString());
        waitFor(60, () -> app.model().baselineProperty().get() != null);
        assertThat(stage.isShowing()).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        System.clearProperty("lathe.data");
        System.clearProperty(WorkbenchModel.BN_IMAGES_PROPERTY);
        System.clearProperty(UserSettings.FOLDER_PROPERTY);
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

    private static String accuracyText() {
        return onFx(() -> ((Label) robot.lookup("#preview-accuracy").query()).getText());
    }

    @Test
    @Order(1)
    void theTreeListsEveryLayerOfTheModel() throws Exception {
        List<String> expected = TinyModels.model() == null ? List.of() : io.lathe.model.LayerTree.of(TinyModels.model())
                .layers().stream().map(LayerInfo::name).toList();
        List<String> shown = onFx(() -> leaves(tree().getRoot()).stream().map(i -> i.getValue().layer().name()).toList());
        assertThat(shown).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(accuracyText()).isEqualTo("100.00%");
    }

    @Test
    @Order(2)
    void draggingALayersSliderChangesItsSparsityAndThePreviewAccuracy() throws Exception {
        String before = cell("col-sparsity", LAYER);
        robot.interact(() -> {
            TreeItem<TreeNode> item = itemOf(LAYER);
            for (TreeItem<TreeNode> p = item.getParent(); p != null; p = p.getParent()) {
                p.setExpanded(true);
            }
            tree().getSelectionModel().clearAndSelect(tree().getRow(item));
            tree().scrollTo(tree().getRow(item));
        });
        waitFor(10, () -> app.model().layers().layer() != null);
        Slider slider = robot.lookup("#threshold-slider").queryAs(Slider.class);
        robot.drag(slider.lookup(".thumb"), MouseButton.PRIMARY).moveBy(slider.getWidth() * 0.9, 0).drop();
        waitFor(10, () -> !cell("col-sparsity", LAYER).equals(before));
        assertThat(onFx(() -> slider.getValue())).isPositive();
        assertThat(cell("col-sparsity", LAYER)).isNotEqualTo("0.0%");
        waitFor(40, () -> app.model().preview().latest() != null && app.model().preview().latest().exact()
                && app.model().preview().latest().plan().equals(app.model().editor().plan()));
        assertThat(accuracyText()).isNotEqualTo("100.00%");
        assertThat(app.model().preview().latest().top1()).isLessThan(1.0);
    }

    @Test
    @Order(3)
    void aCorruptFileShowsAnErrorAndThePreviousModelStaysUsable() throws Exception {
        Path corrupt = Files.writeString(dir.resolve("corrupt-model.zip"), "this is not a model");
        var before = app.model().workspace();
        robot.interact(() -> app.model().openModel(corrupt));
        waitFor(30, () -> onFx(() -> Window.getWindows().stream().anyMatch(w -> w.getScene() != null
                && w.getScene().getRoot() instanceof DialogPane)));
        DialogPane dialog = onFx(() -> (DialogPane) Window.getWindows().stream().filter(w -> w.getScene() != null
                && w.getScene().getRoot() instanceof DialogPane).findFirst().orElseThrow().getScene().getRoot());
        assertThat(dialog.getHeaderText()).contains("failed");
        assertThat(((Label) dialog.lookup("#error-reason")).getText()).contains("corrupt-model.zip");
        robot.interact(() -> ((Stage) dialog.getScene().getWindow()).close());
        assertThat(app.model().workspace()).isSameAs(before);
        robot.interact(() -> app.model().layers().enterTarget("50%"));
        waitFor(40, () -> app.model().preview().latest() != null && app.model().preview().latest().exact()
                && app.model().preview().latest().plan().equals(app.model().editor().plan()));
        assertThat(cell("col-sparsity", LAYER)).isEqualTo("50.0%");
    }
}
