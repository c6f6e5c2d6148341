package io.lathe.session;

import io.lathe.data.ClassCount;
import io.lathe.data.DataSplits;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;

import java.util.function.Consumer;

/**
 * Runs requests in the calling thread. A request for the model and data of the workspace the runner
 * was given runs on it as it is (the window's open model, the command line's loaded one); any other
 * request opens its model and data first, checked as the command line checks them, and releases them
 * after.
 */
public final class LocalRunner implements RequestRunner {
    private final Workspace open;

    private LocalRunner(Workspace open) {
        this.open = open;
    }

    /** A runner that opens every request's model and data itself. */
    public static LocalRunner opening() {
        return new LocalRunner(null);
    }

    /** A runner that uses {@code ws} for requests it holds. */
    public static LocalRunner on(Workspace ws) {
        return new LocalRunner(ws);
    }

    /** A runner over a model and data already loaded (the command line loads them to build its request). */
    public static LocalRunner on(LoadedModel model, DataSplits data) {
        ClassCount.check(model.outputCount(), data);
        return new LocalRunner(Workspace.of(model, data, Progress.none()));
    }

    @Override
    public <R> R run(Request<R> request, Consumer<Object> partial, Progress progress) throws Exception {
        if (open != null && open.holds(request)) {
            return Operations.run(open, request, partial == null ? null : partial::accept, progress);
        }
        progress.update(0, "opening " + request.model().file());
        LoadedModel m = request.model().load();
        DataSplits d = request.data().open();
        ClassCount.check(m.outputCount(), d);
        try (Workspace ws = Workspace.of(m, d, progress.range(0, 0.05))) {
            return Operations.run(ws, request, partial == null ? null : partial::accept, progress.range(0.05, 1));
        }
    }
}
