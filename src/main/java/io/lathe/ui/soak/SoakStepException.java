package io.lathe.ui.soak;

/** A scripted step that failed: the app threw while the soak drove it, or the FX thread did not answer. */
final class SoakStepException extends RuntimeException {
    SoakStepException(String message, Throwable cause) {
        super(message, cause);
    }
}
