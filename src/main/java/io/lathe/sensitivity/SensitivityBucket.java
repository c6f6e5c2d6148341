package io.lathe.sensitivity;

import java.util.Locale;

/** How sensitive a layer is compared with the others of the same sweep, by rank of its score. */
public enum SensitivityBucket {
    /** Among the least sensitive third. */
    LOW,
    /** The middle third. */
    MEDIUM,
    /** The most sensitive third, except the top 5%. */
    HIGH,
    /** The most sensitive 5% of the layers (at least one layer). */
    TOP;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
