package io.lathe;

import io.lathe.cli.LatheCommand;
import io.lathe.engine.Engine;
import io.lathe.session.LaunchRequest;

import java.util.Optional;

/**
 * Entry point. Without arguments it opens the workbench window on the bundled sample; with a model file
 * ({@code lathe my-model.onnx [--data DIR] [--preprocess P]}) the window opens on it; with a subcommand it
 * runs headless.
 * Deliberately does not extend {@code javafx.application.Application}: a classpath launch of a class
 * that does fails with "JavaFX runtime components are missing".
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Engine.configure();
        Optional<LaunchRequest> window;
        try {
            window = args.length > 0 && LatheCommand.isSubcommand(args[0]) ? Optional.empty() : LaunchRequest.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("lathe: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (window.isPresent()) {
            launchWorkbench(window.get().toArgs());
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
