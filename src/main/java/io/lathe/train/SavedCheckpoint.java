package io.lathe.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a fine-tune's checkpoint folder holds, read without loading the network: how far the run got
 * and its epochs so far, so a front end can offer to continue it. Whether it belongs to the same run
 * is checked again by {@link FineTuner} when it resumes.
 *
 * @param dir        the checkpoint folder
 * @param step       steps done at the checkpoint
 * @param totalSteps steps of the whole run
 * @param history    the epochs finished before the checkpoint
 * @param written    when the checkpoint was written
 */
public record SavedCheckpoint(Path dir, long step, long totalSteps, List<FineTuneListener.EpochRecord> history,
                              Instant written) {
    /** The checkpoint in {@code dir}, or empty when there is none or it cannot be read. */
    public static Optional<SavedCheckpoint> find(Path dir) {
        Checkpoints cp = new Checkpoints(dir);
        if (!cp.exists()) {
            return Optional.empty();
        }
        try {
            Checkpoints.State s = cp.state();
            Instant when = Files.getLastModifiedTime(dir.resolve("checkpoint.json")).toInstant();
            return Optional.of(new SavedCheckpoint(dir, s.step(), s.totalSteps(), List.copyOf(s.history()), when));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Deletes the checkpoint files in {@code dir} (and the folder once empty). */
    public static void delete(Path dir) throws IOException {
        new Checkpoints(dir).delete();
    }
}
