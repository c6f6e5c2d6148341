package io.lathe.ui.views;

import io.lathe.job.EngineRunner;
import io.lathe.job.Progress;
import io.lathe.session.TinyModels;
import io.lathe.session.UserSettings;
import io.lathe.session.Workspace;
import io.lathe.ui.WorkbenchApp;
import io.lathe.ui.WorkbenchModel;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A workbench session without a window for the view-model tests: the tiny self-labelled ResNet and
 * its synthetic data opened in a {@link WorkbenchModel} on a direct engine runner, failures collected.
 */
final class ViewFixture implements AutoCloseable {
    final EngineRunner runner = EngineRunner.direct();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final WorkbenchModel wb;
    final Workspace ws;

    ViewFixture(Path dir, boolean withData) throws Exception {
        this(dir, Workspace.of(TinyModels.model(), withData ? TinyModels.data() : null, Progress.none()));
    }

    /** A session on {@code ws} (e.g. one opened from files, as worker processes need). */
    ViewFixture(Path dir, Workspace ws) throws Exception {
        wb = WorkbenchApp.wire(runner, Runnable::run, (wait, action) -> () -> { }, (action, t) -> failures.add(t),
                UserSettings.load(dir.resolve("config")), Runnable::run);
        wb.planFiles().setRestoreLastPlan(false);
        this.ws = ws;
        wb.workspaces().openWorkspace(ws);
        if (ws.data() != null) {
            await(() -> wb.baselineProperty().get() != null);
        }
    }

    /** Edits the plan to prune every layer by magnitude to {@code sparsity}, as "Uniform sparsity" does. */
    void pruneUniformly(double sparsity) {
        wb.editor().edit("uniform " + Math.round(100 * sparsity) + "%", wb.editor().plan().withDefaults(
                io.lathe.compress.PruneSetting.sparsity(io.lathe.compress.Granularity.ELEMENT, sparsity),
                io.lathe.compress.QuantSetting.NONE));
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}
