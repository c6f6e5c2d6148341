package io.lathe.ui;

import javafx.animation.PauseTransition;

import java.time.Duration;

/** The debounce clock of the running app: a {@code PauseTransition} on the FX thread. */
final class FxDelay implements Delay {
    @Override
    public Runnable schedule(Duration wait, Runnable action) {
        PauseTransition pause = new PauseTransition(javafx.util.Duration.millis(wait.toMillis()));
        pause.setOnFinished(e -> action.run());
        pause.play();
        return pause::stop;
    }
}
