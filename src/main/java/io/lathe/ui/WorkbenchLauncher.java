package io.lathe.ui;

import javafx.application.Application;

/**
 * Starts the workbench window. Deliberately not an {@code Application} itself: launching a class that
 * extends Application from the class path fails with "JavaFX runtime components are missing".
 */
public final class WorkbenchLauncher {
    private WorkbenchLauncher() {
    }

    /** Opens the window and returns when it is closed. */
    public static void launch(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }
}
