package io.lathe.session;

import io.lathe.compress.Plan;
import io.lathe.job.Job;
import io.lathe.sensitivity.Allocation;
import io.lathe.sensitivity.AllocationComparison;
import io.lathe.sensitivity.AllocationGoal;
import io.lathe.sensitivity.Allocator;
import io.lathe.sensitivity.SensitivityCurves;
import io.lathe.sensitivity.SweepSpec;
import io.lathe.sensitivity.SweepStore;
import io.lathe.spark.SparkMaster;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The sensitivity sweep and the allocation for an opened {@link Workspace}, as jobs with plain Lathe
 * types (no DL4J) for the workbench: the sweep measures on the validation split with the suffix engine
 * and stores its points in a {@link SweepStore}, so a cancelled sweep resumes and a finished one is
 * reused; the allocation is measured against the uniform plan of the same size on validation.
 */
public final class SensitivityService {
    private final SweepStore store;

    /** A service that keeps sweep results in {@code storeDir}. */
    public SensitivityService(Path storeDir) {
        this.store = new SweepStore(storeDir);
    }

    /** The default sweep of a workspace: every prunable layer, default sparsities and bit widths. */
    public SweepSpec defaultSpec(Workspace ws) {
        return SweepSpec.defaults(ws.tree());
    }

    /**
     * The sweep as a job; {@code onUpdate} gets partial results on the engine thread after every new
     * point (and once at the start with the points already stored).
     */
    public Job<SensitivityCurves> sweep(Workspace ws, SweepSpec spec, Consumer<SensitivityCurves> onUpdate) {
        SweepRequest r = SweepRequest.of(ws, spec, store.dir().toString(), null);
        return progress -> Operations.sweep(ws, r, onUpdate, progress).curves();
    }

    /**
     * Checks a Spark master URL typed by the user; returns it trimmed.
     *
     * @throws IllegalArgumentException with one line saying what a master looks like
     */
    public String checkMaster(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("type a Spark master first: local[2], or spark://HOST:7077 for a cluster");
        }
        return SparkMaster.parse(master).url();
    }

    /**
     * The same sweep with its variants run as Spark tasks on {@code master}: the model and the data's
     * location go to the executors, the points come back into the same store, and {@code onUpdate}
     * gets partial results as tasks finish, exactly as for {@link #sweep}. Cancelling the job cancels
     * the Spark job. The executors must read the workspace's data folder at the same path.
     */
    public Job<SensitivityCurves> sweepOnCluster(Workspace ws, SweepSpec spec, String master,
                                                 Consumer<SensitivityCurves> onUpdate) {
        SweepRequest r = SweepRequest.of(ws, spec, store.dir().toString(), SparkMaster.parse(master).url());
        return progress -> Operations.sweep(ws, r, onUpdate, progress).curves();
    }

    /**
     * Allocation for a goal from measured curves, keeping the locked layers of {@code base}, then the
     * allocated and the uniform plan of the same size measured on the validation split.
     */
    public Job<AllocationComparison> allocate(Workspace ws, SensitivityCurves curves, AllocationGoal goal, Plan base) {
        if (ws.data() == null) {
            throw new IllegalStateException(ws.dataProblem());
        }
        return progress -> {
            progress.update(0, "allocating for " + goal);
            Allocation a = new Allocator(ws.applier(), curves, curves, Allocator.Options.defaults()).allocate(goal, base);
            progress.checkCancelled();
            return AllocationComparison.measure(ws.applier(), a, ws.data().validation(), ws.data().train(),
                    progress.range(0.05, 1));
        };
    }
}
