package io.lathe.model;

import java.io.IOException;

/** A model file that cannot be opened, with a message saying what is wrong and what to do. */
public class ModelLoadException extends IOException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
