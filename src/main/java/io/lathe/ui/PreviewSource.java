package io.lathe.ui;

import io.lathe.compress.Plan;
import io.lathe.eval.PreviewUpdate;
import io.lathe.job.Progress;

import java.util.function.Consumer;

/** Something that measures a plan progressively on the engine thread (the workspace, or a test double). */
@FunctionalInterface
public interface PreviewSource {
    /**
     * Calls {@code onUpdate} with each estimate and returns the exact result; honours cancellation.
     * With {@code reestimateBn} BatchNorm statistics are refreshed on training images first.
     */
    PreviewUpdate preview(Plan plan, boolean reestimateBn, Consumer<PreviewUpdate> onUpdate, Progress progress)
            throws Exception;
}
