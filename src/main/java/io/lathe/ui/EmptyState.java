package io.lathe.ui;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

/** A panel with nothing to show yet: one sentence on what to do next, beside the (possibly unavailable) action. */
final class EmptyState extends VBox {
    EmptyState(String headline, String action, String unavailableReason) {
        getStyleClass().addAll("tab-body", "empty-panel");
        setAlignment(Pos.CENTER);
        setSpacing(10);
        Label h = new Label(headline);
        h.getStyleClass().add("empty-headline");
        h.setWrapText(true);
        Button b = new Button(action);
        b.setDisable(true);
        Label why = new Label(unavailableReason);
        why.getStyleClass().add("muted");
        why.setWrapText(true);
        why.setMaxWidth(460);
        Tooltip.install(why, new Tooltip(unavailableReason));
        getChildren().addAll(h, b, why);
    }
}
