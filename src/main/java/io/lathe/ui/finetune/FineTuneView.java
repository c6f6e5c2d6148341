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

    public FineTuneView(FineTuneModel model) {
        setId("finetune-view");
        Tab plan = new Tab("Fine-tune the plan", new FineTunePane(model));
        plan.setId("finetune-section-plan");
        Tab experiment = new Tab("Large-sparse vs small-dense", new SparseVsDenseView(model.experiment()));
        experiment.setId("finetune-section-experiment");
        sections.getTabs().addAll(plan, experiment);
        sections.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        sections.setId("finetune-sections");
        sections.getStyleClass().add("floating");
        setCenter(sections);
    }

    /** Shows the large-sparse vs small-dense experiment. */
    public void showExperiment() {
        sections.getSelectionModel().select(1);
    }
}
