package io.lathe.data;

import java.util.Locale;

/** The three data splits of DESIGN.md: train (fit), validation (previews, tuning), test (reporting). */
public enum Split {
    TRAIN, VALIDATION, TEST;

    /** Parses the CLI spelling: train, val/validation, test. */
    public static Split parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "val", "validation" -> VALIDATION;
            case "test" -> TEST;
            default -> throw new IllegalArgumentException("unknown split '" + text + "': use train, val or test");
        };
    }

    /** The short name used in files and JSON. */
    public String key() {
        return this == VALIDATION ? "val" : name().toLowerCase(Locale.ROOT);
    }
}
