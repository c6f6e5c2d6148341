package io.lathe.ui;

import io.lathe.compress.Plan;
import io.lathe.data.Preprocessing;
import io.lathe.job.EngineRunner;
import io.lathe.job.JobHandle;
import io.lathe.session.EvaluateRequest;
import io.lathe.session.EvaluateResult;
import io.lathe.session.LocalRunner;
import io.lathe.session.Workspace;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Run → Evaluate plan on the test split: the same {@link EvaluateRequest} {@code lathe eval --plan} runs,
 * run on the engine thread against the open workspace; the result and the command that reproduces it.
 * FX thread.
 */
public final class EvaluationModel {
    private final EngineRunner runner;
    private final ErrorReporter errors;
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private JobHandle<EvaluateResult> job;

    /** A finished evaluation: what was asked and what was measured. */
    public record Outcome(EvaluateRequest request, EvaluateResult result) {
    }

    public EvaluationModel(EngineRunner runner, ErrorReporter errors) {
        this.runner = runner;
        this.errors = errors;
    }

    /** Evaluates {@code plan} on {@code split} of the workspace's data; a running evaluation is cancelled first. */
    public void evaluate(Workspace ws, Plan plan, String split) {
        if (ws == null || plan == null) {
            return;
        }
        if (ws.data() == null) {
            errors.report("Evaluate plan", new IllegalStateException(ws.dataProblem()));
            return;
        }
        if (job != null) {
            job.cancel();
        }
        EvaluateRequest request = EvaluateRequest.of(ws, plan, split);
        running.set(true);
        JobHandle<?>[] mine = new JobHandle<?>[1];
        job = runner.submit("Evaluate plan on the " + split + " split",
                p -> LocalRunner.on(ws).run(request, p), r -> {
                    if (job == mine[0]) {
                        running.set(false);
                        outcome.set(new Outcome(request, r));
                    }
                }, t -> {
                    if (job == mine[0]) {
                        running.set(false);
                        if (!(t instanceof io.lathe.job.CancelledException)) {
                            errors.report("Evaluate plan", t);
                        }
                    }
                });
        mine[0] = job;
    }

    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The figures of an outcome in words, for the result dialog. */
    public static String describe(EvaluateResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Top-1 %.2f%% ± %.2f (95%% interval) on %,d %s images",
                100 * r.top1(), 100 * r.interval95(), r.images(), r.split()));
        sb.append(String.format(Locale.ROOT, "%nSparsity %.1f%%, %,d non-zero parameters, %,d bytes stored (%.1fx smaller than fp32)",
                100 * r.sparsity(), r.nonZeroParams(), r.sizeBytes(), r.compressionRatio()));
        sb.append(r.bnReestimateImages() > 0
                ? String.format(Locale.ROOT, "%nBatchNorm calibrated on %,d training images", r.bnReestimateImages())
                : String.format("%nNo BatchNorm calibration"));
        sb.append(String.format(Locale.ROOT, "%nMeasured in %.1f s", r.seconds()));
        return sb.toString();
    }

    /**
     * The command line that runs the same request, with the plan saved at {@code planFile} (a
     * placeholder when the plan has not been saved).
     */
    public static String commandLine(EvaluateRequest r, Path planFile) {
        List<String> a = new ArrayList<>(List.of("java", "-jar", "target/lathe.jar", "eval", "--model",
                quote(r.model().file())));
        if (r.data().folder() != null) {
            a.add("--data");
            a.add(quote(r.data().folder()));
        }
        Preprocessing p = r.model().preprocessing();
        if (Preprocessing.PRESETS.contains(p.name()) && p.equals(Preprocessing.preset(p.name()))) {
            a.add("--preprocess");
            a.add(p.name());
        }
        a.add("--plan");
        a.add(planFile == null ? "PLAN.json" : quote(planFile.toString()));
        a.add("--split");
        a.add(r.split());
        return String.join(" ", a);
    }

    private static String quote(String s) {
        return s.matches("[\\w./:@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
