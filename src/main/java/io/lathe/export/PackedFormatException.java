package io.lathe.export;

import java.io.IOException;

/** A packed {@code .lathe} file that cannot be read: wrong kind of file, truncated, damaged or for another model. */
public class PackedFormatException extends IOException {
    public PackedFormatException(String message) {
        super(message);
    }
}
