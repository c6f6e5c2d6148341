package io.lathe.sensitivity;

import org.bytedeco.javacpp.Pointer;

/** How much off-heap memory a sweep may use to keep cut activations. */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /** A third of the off-heap memory still free under JavaCPP's limit, at most 2 GB. */
    public static long defaultBytes() {
        long free = Pointer.maxBytes() - Pointer.totalBytes();
        return Math.max(64L << 20, Math.min(2L << 30, free / 3));
    }
}
