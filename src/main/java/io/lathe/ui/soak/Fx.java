package io.lathe.ui.soak;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs soak steps on the FX thread from the driver thread ({@code Platform.runLater} and a future),
 * never blocking the FX thread itself. Not for use on the FX thread.
 */
final class Fx {
    /** How long the driver waits for one step before it gives up on it (the stall monitor shows why). */
    static final long TIMEOUT_SECONDS = 120;

    private Fx() {
    }

    /**
     * Runs {@code step} on the FX thread and returns its result.
     *
     * @throws SoakStepException when the step threw (its cause) or did not finish in {@value #TIMEOUT_SECONDS} s
     */
    static <T> T call(Callable<T> step) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                done.complete(step.call());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new SoakStepException("a step on the FX thread threw", e.getCause());
        } catch (TimeoutException e) {
            throw new SoakStepException("a step on the FX thread did not finish in " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SoakStepException("interrupted while waiting for the FX thread", e);
        }
    }

    /** Runs {@code step} on the FX thread and waits for it. */
    static void run(Runnable step) {
        call(() -> {
            step.run();
            return null;
        });
    }

    /** Sleeps on the driver thread; an interrupt ends the soak early. */
    static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SoakStepException("interrupted", e);
        }
    }
}
