package io.lathe.ui;

import javafx.application.Platform;

/**
 * Runs an action once for any number of requests made before the FX thread gets to it: a slider drag
 * that changes the plan many times between two frames redraws the tree and the chart once. FX thread.
 */
final class PulseCoalescer {
    private final Runnable action;
    private boolean queued;

    PulseCoalescer(Runnable action) {
        this.action = action;
    }

    /** Asks for the action; it runs later on the FX thread, once per burst of requests. */
    void request() {
        if (!queued) {
            queued = true;
            Platform.runLater(() -> {
                queued = false;
                action.run();
            });
        }
    }
}
