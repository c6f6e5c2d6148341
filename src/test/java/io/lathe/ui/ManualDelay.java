package io.lathe.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A debounce clock driven by the test: scheduled actions run only when {@link #elapse()} is called. */
final class ManualDelay implements Delay {
    private final List<Runnable> scheduled = new ArrayList<>();

    @Override
    public synchronized Runnable schedule(Duration wait, Runnable action) {
        scheduled.add(action);
        return () -> {
            synchronized (this) {
                scheduled.remove(action);
            }
        };
    }

    /** Runs everything scheduled so far. */
    void elapse() {
        List<Runnable> due;
        synchronized (this) {
            due = new ArrayList<>(scheduled);
            scheduled.clear();
        }
        due.forEach(Runnable::run);
    }

    synchronized int pending() {
        return scheduled.size();
    }
}
