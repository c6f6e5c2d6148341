package io.lathe.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Sets aside a remembered file that cannot be read (a corrupt settings file or plan journal): it is
 * renamed to {@code NAME.corrupt-yyyyMMdd-HHmmss} beside itself, so the program starts clean, the bad
 * file is kept for whoever wants to look at it, and the next save does not overwrite it.
 */
public final class CorruptFiles {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private CorruptFiles() {
    }

    /**
     * Renames {@code file} aside and returns a sentence for the user saying what happened (its
     * {@code what} is e.g. "The settings file"). If even the rename fails, the sentence says so and the
     * file is left in place.
     */
    public static String setAside(Path file, String what, String why, Clock clock) {
        String stamp = LocalDateTime.now(clock).format(STAMP);
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp);
        for (int i = 2; Files.exists(aside); i++) {
            aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + "-" + i);
        }
        try {
            Files.move(file, aside);
            return what + " " + file + " could not be read (" + why + "); it was set aside as "
                    + aside.getFileName() + " and Lathe started without it";
        } catch (IOException e) {
            return what + " " + file + " could not be read (" + why + ") and could not be set aside ("
                    + e.getMessage() + "); Lathe started without it";
        }
    }
}
