package io.lathe.ui.finetune;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from the engine thread to the FX thread in batches: however fast items arrive, at most
 * one hand-over is queued on the FX thread at a time and it takes everything that came since.
 * {@link #add} is thread-safe; the consumer runs on {@code fx}.
 */
final class FxFeed<T> {
    private final Executor fx;
    private final Consumer<List<T>> consumer;
    private final ConcurrentLinkedQueue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean queued = new AtomicBoolean();

    FxFeed(Executor fx, Consumer<List<T>> consumer) {
        this.fx = fx;
        this.consumer = consumer;
    }

    void add(T item) {
        pending.add(item);
        if (queued.compareAndSet(false, true)) {
            fx.execute(this::drain);
        }
    }

    private void drain() {
        queued.set(false);
        List<T> batch = new ArrayList<>();
        for (T t; (t = pending.poll()) != null; ) {
            batch.add(t);
        }
        if (!batch.isEmpty()) {
            consumer.accept(batch);
        }
    }
}
