package io.lathe.ui.finetune;

import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;

/**
 * The Fine-tune tab: fine-tuning the current plan (or training a different student from the unchanged
 * model), and the large-sparse vs small-dense experiment beside it. Lays out only.
 */
public final class FineTuneView extends BorderPane {
    private final TabPane sections = new TabPane();
    private final FineTunePane pane;

    public FineTuneView(FineTuneModel model) {
        setId("finetune-view");
        pane = new FineTunePane(model);
        Tab plan = new Tab("Fine-tune the plan", pane);
        plan.setId("finetune-section-plan");
        Tab experiment = new Tab("Large-sparse vs small-dense", new SparseVsDenseView(model.experiment()));
        experiment.setId("finetune-section-experiment");
        sections.getTabs().addAll(plan, experiment);
        sections.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        sections.setId("finetune-sections");
        sections.getStyleClass().add("floating");
        setCenter(sections);
    }

    /** Says whether the tab is on screen: hidden, it does not redraw the planned schedule at every plan change. */
    public void setShown(boolean on) {
        pane.setShown(on);
    }

    /** Shows the large-sparse vs small-dense experiment. */
    public void showExperiment() {
        sections.getSelectionModel().select(1);
    }
}
