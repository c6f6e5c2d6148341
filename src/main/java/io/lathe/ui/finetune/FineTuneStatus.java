package io.lathe.ui.finetune;

import io.lathe.session.FineTuneRun;
import io.lathe.train.FineTuneListener;
import io.lathe.train.SavedCheckpoint;
import io.lathe.ui.Formats;
import io.lathe.worker.WorkerException;

import java.nio.file.Path;
import java.util.Locale;

/** The Fine-tune tab's status line, phrase by phrase. */
final class FineTuneStatus {
    private FineTuneStatus() {
    }

    static String starting(String where, SavedCheckpoint saved, long totalSteps, Path out) {
        return saved == null ? "starting " + where + ": " + totalSteps + " steps, writing " + out.getFileName()
                : "continuing " + where + " from the checkpoint at step " + saved.step() + " of " + totalSteps
                + ", writing " + out.getFileName();
    }

    static String step(FineTuneListener.StepUpdate u, double etaSeconds) {
        return String.format(Locale.ROOT, "epoch %d, step %d of %d, loss %.4f, sparsity %.1f%%%s",
                u.epoch(), u.step(), u.totalSteps(), u.loss(), 100 * u.sparsity(),
                Double.isNaN(etaSeconds) ? "" : ", about " + Formats.duration(etaSeconds) + " left");
    }

    static String done(FineTuneRun.Outcome o) {
        return String.format(Locale.ROOT, "done: test top-1 %.2f%% (unchanged model %.2f%%), sparsity %.1f%%, "
                + "epoch %d kept; wrote %s", 100 * o.testTop1(), 100 * o.denseTestTop1(), 100 * o.sparsity(),
                o.bestEpoch(), o.modelFile().getFileName());
    }

    /** A failure; a worker's says what ended it (its error, or its death and the cause) and that the window is fine. */
    static String failed(Throwable t, SavedCheckpoint saved) {
        String head = t instanceof WorkerException w ? w.getMessage() + "; the window and its plan are unchanged"
                : "stopped by an error";
        return head + continueFrom(saved);
    }

    static String cancelled(SavedCheckpoint saved) {
        return "cancelled; the loaded model is unchanged" + continueFrom(saved);
    }

    static String paused(boolean worker) {
        return worker ? "paused (the worker process waits; previews keep running)"
                : "paused (the engine waits; other jobs queue behind it)";
    }

    private static String continueFrom(SavedCheckpoint saved) {
        return saved == null ? "" : "; Continue picks up from the checkpoint at step " + saved.step();
    }
}
