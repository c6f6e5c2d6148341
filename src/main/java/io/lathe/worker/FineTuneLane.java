package io.lathe.worker;

import io.lathe.session.Workspace;

/** Where the window runs a fine-tune: its own engine thread ({@link InProcessLane}) or a worker process ({@link WorkerLane}). */
public interface FineTuneLane {
    /**
     * Starts {@code request} (made from {@code ws} by {@link FineTuneRequest#of}); the events may arrive
     * before this returns. Call on the thread that owns the window's state.
     */
    RunningFineTune start(String title, FineTuneRequest request, Workspace ws, FineTuneEvents events);
}
