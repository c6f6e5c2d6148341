package io.lathe;

import io.lathe.cli.LatheCommand;
import io.lathe.engine.Engine;

/**
 * Entry point. Without arguments it opens the workbench window; with a subcommand it runs headless.
 * Deliberately does not extend {@code javafx.application.Application}: a classpath launch of a class
 * that does fails with "JavaFX runtime components are missing".
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Engine.configure();
        if (args.length == 0) {
            launchWorkbench(args);
            return;
        }
        System.exit(LatheCommand.run(args));
    }

    private static void launchWorkbench(String[] args) {
        try {
            Class<?> app = Class.forName("io.lathe.ui.WorkbenchLauncher");
            app.getMethod("launch", String[].class).invoke(null, (Object) args);
        } catch (ReflectiveOperationException e) {
            System.err.println("lathe: the workbench window could not start: " + e);
            System.exit(1);
        }
    }
}
