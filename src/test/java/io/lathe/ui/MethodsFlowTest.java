package io.lathe.ui;

import io.lathe.model.TreeNode;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TreeItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;


import static io.lathe.ui.FlowFixture.onFx;
import static io.lathe.ui.FlowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** Headless flow through the real window: weight sharing in the layer panel, then the low-rank panel. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MethodsFlowTest {
    private static final String LAYER = "stage2.block0.conv1";
    private static FlowFixture fixture;
    private static WorkbenchApp app;
    private static FxRobot robot;

    @BeforeAll
    static void start() throws Exception {
        fixture = FlowFixture.start("lathe-methods-test", false);
        app = fixture.app();
        robot = fixture.robot();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.stop();
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
            TreeItem<TreeNode> item = fixture.itemOf(LAYER);
            for (TreeItem<TreeNode> p = item.getParent(); p != null; p = p.getParent()) {
                p.setExpanded(true);
            }
            fixture.tree().getSelectionModel().clearAndSelect(fixture.tree().getRow(item));
            fixture.tree().scrollTo(fixture.tree().getRow(item));
        });
        waitFor(10, () -> app.model().layers().layer() != null);
        assertThat(fixture.cell("col-bits", LAYER)).isEqualTo("32");
        String sizeBefore = fixture.text("#summary-size");
        ToggleButton share16 = robot.lookup("#share-4").queryAs(ToggleButton.class);
        reveal(share16);
        robot.clickOn(share16);
        waitFor(10, () -> "sh4".equals(fixture.cell("col-bits", LAYER)));
        assertThat(app.model().editor().plan().shareOf(LAYER).centroids()).isEqualTo(16);
        waitFor(10, () -> !fixture.text("#summary-size").equals(sizeBefore));
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
        waitFor(5, () -> fixture.text("#rank-readout").startsWith("rank 2 of "));
        Button measure = robot.lookup("#low-rank-measure").queryAs(Button.class);
        reveal(measure);
        robot.clickOn(measure);
        waitFor(60, () -> fixture.text("#low-rank-accuracy").contains("→"));
        assertThat(fixture.text("#low-rank-size")).contains("params");
        assertThat(fixture.text("#low-rank-batch64")).matches(".*ms → .*ms.*");
        assertThat(fixture.text("#low-rank-sample")).startsWith("Measured at rank 2").contains("validation images");
    }
}
