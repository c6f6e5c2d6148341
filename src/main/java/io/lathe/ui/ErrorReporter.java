package io.lathe.ui;

/** Where failures go: a dialog with the reason and expandable details in the app, a list in tests. FX thread. */
@FunctionalInterface
public interface ErrorReporter {
    /**
     * Reports a failure.
     *
     * @param action what the user was doing, e.g. "Open model"
     * @param cause  the failure; its message is the reason shown, its stack trace the details
     */
    void report(String action, Throwable cause);
}
