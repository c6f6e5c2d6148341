package io.lathe.ui;

import io.lathe.model.LayerInfo;
import io.lathe.model.TreeNode;
import io.lathe.session.TinyModels;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TreeItem;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.lathe.ui.FlowFixture.leaves;
import static io.lathe.ui.FlowFixture.onFx;
import static io.lathe.ui.FlowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** Headless flows through the real window on a tiny ResNet and a tiny idx data folder. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchFlowTest {
    private static final String LAYER = "stem.conv";
    private static FlowFixture fixture;
    private static WorkbenchApp app;
    private static FxRobot robot;

    @BeforeAll
    static void start() throws Exception {
        fixture = FlowFixture.start("lathe-ui-test", false);
        app = fixture.app();
        robot = fixture.robot();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.stop();
    }

    private static String accuracyText() {
        return onFx(() -> ((Label) robot.lookup("#preview-accuracy").query()).getText());
    }

    @Test
    @Order(1)
    void theTreeListsEveryLayerOfTheModel() throws Exception {
        List<String> expected = TinyModels.model() == null ? List.of() : io.lathe.model.LayerTree.of(TinyModels.model())
                .layers().stream().map(LayerInfo::name).toList();
        List<String> shown = onFx(() -> leaves(fixture.tree().getRoot()).stream().map(i -> i.getValue().layer().name()).toList());
        assertThat(shown).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(accuracyText()).isEqualTo("100.00%");
    }

    @Test
    @Order(2)
    void draggingALayersSliderChangesItsSparsityAndThePreviewAccuracy() throws Exception {
        String before = fixture.cell("col-sparsity", LAYER);
        robot.interact(() -> {
            TreeItem<TreeNode> item = fixture.itemOf(LAYER);
            for (TreeItem<TreeNode> p = item.getParent(); p != null; p = p.getParent()) {
                p.setExpanded(true);
            }
            fixture.tree().getSelectionModel().clearAndSelect(fixture.tree().getRow(item));
            fixture.tree().scrollTo(fixture.tree().getRow(item));
        });
        waitFor(10, () -> app.model().layers().layer() != null);
        Slider slider = robot.lookup("#threshold-slider").queryAs(Slider.class);
        robot.drag(slider.lookup(".thumb"), MouseButton.PRIMARY).moveBy(slider.getWidth() * 0.9, 0).drop();
        waitFor(10, () -> !fixture.cell("col-sparsity", LAYER).equals(before));
        assertThat(onFx(() -> slider.getValue())).isPositive();
        assertThat(fixture.cell("col-sparsity", LAYER)).isNotEqualTo("0.0%");
        waitFor(40, () -> app.model().preview().latest() != null && app.model().preview().latest().exact()
                && app.model().preview().latest().plan().equals(app.model().editor().plan()));
        assertThat(accuracyText()).isNotEqualTo("100.00%");
        assertThat(app.model().preview().latest().top1()).isLessThan(1.0);
    }

    @Test
    @Order(3)
    void aCorruptFileShowsAnErrorAndThePreviousModelStaysUsable() throws Exception {
        Path corrupt = Files.writeString(fixture.dir().resolve("corrupt-model.zip"), "this is not a model");
        var before = app.model().workspace();
        robot.interact(() -> app.model().workspaces().openModel(corrupt));
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
        assertThat(fixture.cell("col-sparsity", LAYER)).isEqualTo("50.0%");
    }
}
