package io.lathe.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** About Lathe and what its terms mean, one sentence each. */
final class HelpDialog {
    static final String[][] TERMS = {
            {"Sparsity", "The fraction of a layer's weights set to zero; 70% sparsity keeps 3 in 10 weights."},
            {"Threshold", "Weights (or groups) whose magnitude is below it are removed; the slider moves it and "
                    + "the text field takes either a threshold (0.02) or a target sparsity (70%)."},
            {"Granularity", "What is removed as a unit: single weights (element), small blocks inside a filter "
                    + "(block), or whole output channels (channel)."},
            {"Bits", "How many bits each kept weight is stored with: 32 is unchanged, 16 is half precision, "
                    + "8 to 2 are integers with one scale per channel (per-channel) or per layer."},
            {"Size-only", "The change makes the model file smaller but not faster here: zeros inside dense "
                    + "kernels cost the same time."},
            {"Latency-real", "The change can make inference faster on this machine, because whole channels "
                    + "disappear and the layer physically shrinks."},
            {"Estimate / exact", "While a preview runs, accuracy is measured on a growing class-balanced sample "
                    + "and shown with its 95% interval; then on the whole validation split (exact)."},
            {"Measured / computed", "Measured numbers come from running the network here; computed ones "
                    + "(size, parameters, MACs) follow from the weights and Lathe's stated size encoding."},
            {"Lock", "A locked layer keeps its own settings: global changes and \"apply to\" leave it alone."},
    };

    private HelpDialog() {
    }

    static void show(Window owner) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, null, ButtonType.CLOSE);
        a.initOwner(owner);
        a.setTitle("About Lathe");
        a.setHeaderText("Lathe — a workbench for compressing ResNets");
        GridPane g = new GridPane();
        g.setHgap(14);
        g.setVgap(8);
        for (int i = 0; i < TERMS.length; i++) {
            Label term = new Label(TERMS[i][0]);
            term.getStyleClass().add("term");
            Label text = new Label(TERMS[i][1]);
            text.setWrapText(true);
            text.setMaxWidth(460);
            g.addRow(i, term, text);
        }
        Label intro = new Label("Open a ResNet, set a pruning threshold and a bit width per layer (or for a block, "
                + "a stage, everything), and see within a moment what it costs in accuracy and saves in size.");
        intro.setWrapText(true);
        intro.setMaxWidth(600);
        VBox box = new VBox(14, intro, g);
        a.getDialogPane().setContent(box);
        a.getDialogPane().setPrefWidth(660);
        a.showAndWait();
    }
}
