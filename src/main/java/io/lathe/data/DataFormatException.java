package io.lathe.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that cannot be used, with the file named and what is wrong with it. */
public class DataFormatException extends IOException {
    private final Path file;

    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The offending file or folder. */
    public Path file() {
        return file;
    }
}
