package io.lathe.compress;

import java.util.Locale;

/** How finely pruning removes weights. */
public enum Granularity {
    /** Single weights (fine-grained, unstructured): smaller, not faster on dense kernels. */
    ELEMENT,
    /** Small blocks inside each filter (coarse-grained). */
    BLOCK,
    /** Whole output channels / filters (structured): can be removed physically for real speed. */
    CHANNEL;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Granularity parse(String s) {
        for (Granularity g : values()) {
            if (g.key().equalsIgnoreCase(s) || ("filter".equalsIgnoreCase(s) && g == CHANNEL)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown granularity '" + s + "': use element, block or channel");
    }
}
