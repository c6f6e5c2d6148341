package io.lathe.worker;

import io.lathe.job.EngineRunner;
import io.lathe.session.Workspace;

import java.nio.file.Path;

/**
 * Chooses where a fine-tune runs: in a worker process when workers are enabled and the workspace can be
 * rebuilt from files, else on the window's engine thread, with the reason. Immutable.
 */
public final class FineTuneLanes {
    private final FineTuneLane inProcess;
    private final FineTuneLane worker;

    /**
     * @param inProcess the window's engine thread
     * @param worker    worker processes, or null to keep every run in process
     */
    public FineTuneLanes(FineTuneLane inProcess, FineTuneLane worker) {
        this.inProcess = inProcess;
        this.worker = worker;
    }

    /**
     * The window's lanes: workers (this machine's limits, lower priority, working folders under
     * {@code workRoot}) unless {@value WorkerLauncher#ENABLED_PROPERTY}=false.
     */
    public static FineTuneLanes forWindow(EngineRunner runner, Path workRoot) {
        FineTuneLane w = WorkerLauncher.enabled()
                ? new WorkerLane(WorkerLauncher.forThisMachine(), runner, workRoot, WorkerLane.DEFAULT_GRACE) : null;
        return new FineTuneLanes(new InProcessLane(runner), w);
    }

    /** The lane for a fine-tune of {@code ws}, and in words where it runs and why. */
    public Choice choose(Workspace ws) {
        if (worker == null) {
            return new Choice(inProcess, false, "in the window (worker processes are off: "
                    + WorkerLauncher.ENABLED_PROPERTY + "=false)");
        }
        String problem = FineTuneRequest.workerProblem(ws);
        return problem == null ? new Choice(worker, true, "in a worker process")
                : new Choice(inProcess, false, "in the window (" + problem + ")");
    }

    /**
     * A chosen lane.
     *
     * @param lane   where the run goes
     * @param worker true for a worker process
     * @param note   where and why, for the status line
     */
    public record Choice(FineTuneLane lane, boolean worker, String note) {
    }
}
