package io.lathe.spark;

import io.lathe.data.DataSplits;
import io.lathe.engine.Engine;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * What an executor keeps between the tasks of one payload: the engine configured once per JVM, the
 * data read once, and an idle {@link ClusterWorker} for each task thread that finished (a worker is
 * used by one task at a time, DL4J networks not being thread-safe). A task of another payload drops
 * them. Thread-safe.
 */
final class ExecutorCache {
    private static final Object LOCK = new Object();
    private static String key;
    private static DataSplits data;
    private static final ArrayDeque<ClusterWorker> IDLE = new ArrayDeque<>();

    private ExecutorCache() {
    }

    /** A worker for {@code payload}: an idle one, or a new one (model unpacked, data read if not yet). */
    static ClusterWorker borrow(ClusterPayload payload) throws IOException {
        Engine.configure();
        DataSplits d;
        synchronized (LOCK) {
            if (!payload.key().equals(key)) {
                key = payload.key();
                data = null;
                IDLE.clear();
            }
            if (!IDLE.isEmpty()) {
                return IDLE.pop();
            }
            if (data == null) {
                data = payload.data().open();
            }
            d = data;
        }
        return new ClusterWorker(payload, d);
    }

    /** Gives a worker back for the next task of the same payload. */
    static void release(ClusterPayload payload, ClusterWorker worker) {
        synchronized (LOCK) {
            if (payload.key().equals(key)) {
                IDLE.push(worker);
            }
        }
    }
}
