package io.lathe.worker;

import io.lathe.job.EngineRunner;
import io.lathe.session.Workspace;

import java.nio.file.Path;

/**
 * Chooses where a fine-tune runs: in a worker process when workers are enabled, can start (the runtime
 * has a {@code java} executable) and the workspace can be rebuilt from files; else on the window's
 * engine thread, with the reason. Immutable.
 */
public final class FineTuneLanes {
    private final FineTuneLane inProcess;
    private final FineTuneLane worker;
    private final String workersOff;

    /**
     * @param inProcess the window's engine thread
     * @param worker    worker processes
     */
    public FineTuneLanes(FineTuneLane inProcess, FineTuneLane worker) {
        this(inProcess, worker, null);
    }

    private FineTuneLanes(FineTuneLane inProcess, FineTuneLane worker, String workersOff) {
        this.inProcess = inProcess;
        this.worker = workersOff == null ? worker : null;
        this.workersOff = workersOff;
    }

    /**
     * The window's lanes: workers (this machine's limits, lower priority, working folders under
     * {@code workRoot}) unless {@value WorkerLauncher#ENABLED_PROPERTY}=false.
     */
    public static FineTuneLanes forWindow(EngineRunner runner, Path workRoot) {
        String off = !WorkerLauncher.enabled() ? "worker processes are off: " + WorkerLauncher.ENABLED_PROPERTY + "=false"
                : WorkerLauncher.problem();
        return new FineTuneLanes(new InProcessLane(runner),
                new WorkerLane(WorkerLauncher.forThisMachine(), runner, workRoot, WorkerLane.DEFAULT_GRACE), off);
    }

    /** The lane for a fine-tune of {@code ws}, and in words where it runs and why. */
    public Choice choose(Workspace ws) {
        if (worker == null) {
            return new Choice(inProcess, false, "in the window (" + workersOff + ")");
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
