package io.lathe.engine;

import java.time.Duration;

/**
 * Gives the C allocator's unused memory back to the system now and then: ND4J frees the buffers of
 * released arrays (preview caches, sweep frontiers, a closed model) into the allocator, which keeps
 * them, so without this the window's resident size only ever grows (measured by {@code bench soak}:
 * 6.4 GB resident, 2.8 GB after one trim; a trim takes about 50 ms, at most 120 ms). Called after
 * engine jobs; trims at most once per interval.
 * Thread-safe.
 */
public final class NativeMemoryTrim {
    private final long intervalNanos;
    private long last;
    private int trims;

    /** Trims at most once every {@code interval}. */
    public NativeMemoryTrim(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.last = System.nanoTime();
    }

    /** Trims if the interval has passed since the last trim; returns whether it did. */
    public synchronized boolean afterJob() {
        long now = System.nanoTime();
        if (now - last < intervalNanos) {
            return false;
        }
        last = now;
        trims++;
        return Engine.trimNativeMemory();
    }

    /** How many times this has trimmed. */
    public synchronized int trims() {
        return trims;
    }
}
