package io.lathe.ui;

import java.time.Duration;

/**
 * Runs an action later on the FX thread, cancellably: the debounce behind live previews. The app
 * uses a {@code PauseTransition}; view-model tests use a hand-driven clock.
 */
@FunctionalInterface
public interface Delay {
    /** Schedules {@code action} after {@code wait}; the returned handle cancels it if not yet run. */
    Runnable schedule(Duration wait, Runnable action);
}
