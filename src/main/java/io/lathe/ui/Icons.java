package io.lathe.ui;

import javafx.scene.Node;
import javafx.scene.shape.SVGPath;

/** Small vector icons drawn in code so they scale and take CSS colours. */
final class Icons {
    private Icons() {
    }

    static Node lock() {
        return icon("M5 7V5a3 3 0 0 1 6 0v2h1.5v7h-9V7zm1.6 0h2.8V5a1.4 1.4 0 0 0-2.8 0z", "icon-lock");
    }

    static Node open() {
        return icon("M1 3h5l1.5 1.5H14v2H4L2 13H1zM4.5 7.5H16L13.5 14H2z", "icon");
    }

    static Node save() {
        return icon("M2 2h10l2 2v10H2zm2 1v4h7V3zm1 7v3h6v-3z", "icon");
    }

    static Node undo() {
        return icon("M6 3 1 7l5 4V8.5c4 0 6.5 1 8 4-.5-4.5-3-7-8-7.5z", "icon");
    }

    static Node redo() {
        return icon("M10 3l5 4-5 4V8.5c-4 0-6.5 1-8 4 .5-4.5 3-7 8-7.5z", "icon");
    }

    static Node help() {
        return icon("M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm-.9 10h1.8v1.8H7.1zM8 3.5c-1.7 0-3 1.1-3 2.7h1.7c0-.7.6-1.2 "
                + "1.3-1.2s1.3.5 1.3 1.1c0 1.3-2.1 1.2-2.1 3.4h1.7c0-1.5 2.1-1.7 2.1-3.5 0-1.5-1.3-2.5-3-2.5z", "icon");
    }

    static Node data() {
        return icon("M8 1c3.3 0 6 1 6 2.5v9C14 14 11.3 15 8 15s-6-1-6-2.5v-9C2 2 4.7 1 8 1zm0 1.5c-2.8 0-4.5.7-4.5 "
                + "1s1.7 1 4.5 1 4.5-.7 4.5-1-1.7-1-4.5-1z", "icon");
    }

    private static Node icon(String path, String style) {
        SVGPath p = new SVGPath();
        p.setContent(path);
        p.getStyleClass().add(style);
        return p;
    }
}
