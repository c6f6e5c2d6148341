package io.lathe.session;

import io.lathe.compress.Granularity;
import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.data.LabeledImages;
import io.lathe.eval.BnReestimator;
import io.lathe.eval.Evaluator;
import io.lathe.eval.GranularityComparison;
import io.lathe.eval.LayerLatency;
import io.lathe.eval.PairedLatency;
import io.lathe.job.Job;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;
import io.lathe.structure.StructuredCompressor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Structured pruning and the granularity comparison of a {@link Workspace}, as jobs with plain Lathe
 * types for the workbench: {@link #removeChannels} builds the physically smaller network of a plan's
 * channel settings and measures it against the unchanged model (accuracy on validation images,
 * whole-model latency at batch 1 and 64 in one alternating run, per-layer latency), and hands back the
 * smaller model as a ready {@link Workspace}; {@link #compareGranularity} measures element, block and
 * channel pruning side by side. The jobs run on the engine thread.
 */
public final class StructureService {
    /** Kept-channel roundings offered: exact, multiples of 8, multiples of 16. */
    public static final List<Integer> ROUNDINGS = List.of(1, 8, 16);

    private StructureService() {
    }

    /**
     * How much work a removal measures.
     *
     * @param images     validation images for the accuracy figures (0 or more than the split: all)
     * @param repeats1   timed batch-1 calls per network
     * @param repeats64  timed batch-64 calls per network
     * @param layerRepeats timed calls per layer in the per-layer profile (batch 64)
     */
    public record Effort(int images, int repeats1, int repeats64, int layerRepeats) {
        /** What the workbench uses: enough repeats for stable medians on a busy 2-core machine. */
        public static Effort standard(int images) {
            return new Effort(images, 40, 10, 8);
        }
    }

    /**
     * One weight layer's measured time before and after channel removal (batch 64, median per call).
     *
     * @param name           layer name
     * @param kind           layer kind label
     * @param outBefore      output channels before
     * @param outAfter       output channels after
     * @param inBefore       input channels before
     * @param inAfter        input channels after
     * @param beforeMs       median time of the layer's forward step in the unchanged model
     * @param afterMs        the same in the smaller model
     */
    public record LayerTiming(String name, String kind, long outBefore, long outAfter, long inBefore, long inAfter,
                              double beforeMs, double afterMs) {
        /** Before over after (above 1: faster now). */
        public double speedup() {
            return beforeMs / afterMs;
        }
    }

    /**
     * Everything a channel removal measured.
     *
     * @param plan         the plan whose channel settings were applied
     * @param roundTo      kept channel counts rounded up to a multiple of this
     * @param images       validation images both accuracies are measured on
     * @param denseTop1    accuracy of the unchanged model on those images
     * @param prunedTop1   accuracy of the smaller network with the rest of the plan, on the same images
     * @param batch1       unchanged (first) vs smaller (second) at batch 1, alternating calls
     * @param batch64      the same at batch 64
     * @param before       size and work of the unchanged model
     * @param after        size and work of the smaller model under {@code remaining}
     * @param layers       weight layers' timings in execution order
     * @param layerSumBeforeMs sum of every vertex's time in the unchanged model (batch 64)
     * @param layerSumAfterMs  the same for the smaller model
     * @param kept         layer → "kept/original" channels, for layers that lost channels
     * @param notes        remarks for the user (coupling groups, parameters left)
     * @param smaller      the smaller model as a workspace on the same data (baseline not measured)
     * @param remaining    the plan's other settings, bound to the smaller model
     */
    public record Report(Plan plan, int roundTo, int images, double denseTop1, double prunedTop1,
                         PairedLatency.Result batch1, PairedLatency.Result batch64, ModelStats before, ModelStats after,
                         List<LayerTiming> layers, double layerSumBeforeMs, double layerSumAfterMs,
                         Map<String, String> kept, List<String> notes, Workspace smaller, Plan remaining) {
        public Report {
            layers = List.copyOf(layers);
            kept = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kept));
            notes = List.copyOf(notes);
        }

        /** Name of the smaller model. */
        public String smallerName() {
            return smaller.modelName();
        }
    }

    /** Layers whose output channels the plan removes (channel granularity with something to remove). */
    public static List<String> channelLayers(Workspace ws, Plan plan) {
        List<String> out = new ArrayList<>();
        for (LayerInfo l : ws.tree().prunableLayers()) {
            PruneSetting p = plan.pruneOf(l.name());
            if (l.kind() != LayerKind.OUTPUT && p.granularity() == Granularity.CHANNEL && !p.isNone()) {
                out.add(l.name());
            }
        }
        return out;
    }

    /** Why channels cannot be removed for this plan (what is wrong and what to do), or null when they can. */
    public static String problem(Workspace ws, Plan plan) {
        if (ws == null || plan == null) {
            return "Open a model first (File → Open model).";
        }
        if (ws.data() == null) {
            return "Open data that fits the model (File → Open data): " + ws.dataProblem();
        }
        if (channelLayers(ws, plan).isEmpty()) {
            return "The plan removes no whole channels. Set the granularity to \"channel\" with a sparsity above 0 — "
                    + "for every layer in the global strip, or for single layers in the layer panel — then remove "
                    + "them here. (The classifier never loses channels.)";
        }
        return null;
    }

    /** Validation images to measure on: the first {@code n} of the split, or all when {@code n} is 0 or more. */
    public static LabeledImages validation(Workspace ws, int n) {
        LabeledImages v = ws.data().validation();
        return n <= 0 || n >= v.size() ? v : v.limit(n);
    }

    /** Removes the plan's channels physically and measures the smaller model against the unchanged one. */
    public static Job<Report> removeChannels(Workspace ws, Plan plan, int roundTo, Effort effort) {
        String why = problem(ws, plan);
        if (why != null) {
            throw new IllegalStateException(why);
        }
        if (!ROUNDINGS.contains(roundTo)) {
            throw new IllegalArgumentException("round kept channels to 1, 8 or 16, not " + roundTo);
        }
        return progress -> {
            var model = ws.model();
            StructuredCompressor.Result s = StructuredCompressor.apply(model, ws.tree(), plan, roundTo,
                    progress.range(0, 0.08));
            progress.checkCancelled();
            var net = s.compressed().graph();
            if (plan.batchNormImages() > 0 && ws.data().train().size() > 0) {
                // The plan calibrates BatchNorm: refresh every BatchNorm of the smaller network (channel
                // removal shifts the statistics of the layers after it), baked into the smaller model.
                progress.update(0.06, "calibrating BatchNorm of the smaller network");
                var smallNet = s.model().graph();
                new BnReestimator(ws.data().train(), Math.min(plan.batchNormImages(), ws.data().train().size()))
                        .estimate(smallNet, BnReestimator.allBatchNorms(s.tree()), progress.range(0.06, 0.07))
                        .forEach((bn, st) -> BnReestimator.write(smallNet, bn, st));
                net = new PlanApplier(s.model(), s.tree()).apply(s.remaining()).graph();
                BnReestimator.calibrate(net, s.tree(), s.remaining(), ws.data().train(), progress.range(0.07, 0.08));
            }
            progress.update(0.08, "opening the smaller model");
            Workspace smaller = Workspace.of(s.model(), ws.data(), progress.range(0.08, 0.1)).withTeacher(ws.teacher());
            LabeledImages images = validation(ws, effort.images());
            double dense = ws.baseline() != null && images.size() == ws.data().validation().size()
                    ? ws.baseline().top1()
                    : Evaluator.evaluate(model.graph(), model, images, progress.range(0.1, 0.25)).top1();
            progress.update(0.25, "measuring the smaller model on " + images.size() + " validation images");
            double pruned = Evaluator.evaluate(net, s.model(), images, progress.range(0.25, 0.4)).top1();
            progress.update(0.4, "timing both models at batch 1");
            PairedLatency.Result b1 = PairedLatency.measure(model.graph(), net, model.inputShape(),
                    model.channelsLast(), 1, 5, effort.repeats1(), progress.range(0.4, 0.5));
            progress.update(0.5, "timing both models at batch 64");
            PairedLatency.Result b64 = PairedLatency.measure(model.graph(), net, model.inputShape(),
                    model.channelsLast(), 64, 2, effort.repeats64(), progress.range(0.5, 0.65));
            progress.update(0.65, "timing every layer of the unchanged model");
            LayerLatency.Profile pb = LayerLatency.measure(model.graph(), ws.tree(), model.inputShape(),
                    model.channelsLast(), 64, 2, effort.layerRepeats(), progress.range(0.65, 0.82));
            progress.update(0.82, "timing every layer of the smaller model");
            LayerLatency.Profile pa = LayerLatency.measure(net, s.tree(), model.inputShape(), model.channelsLast(), 64,
                    2, effort.layerRepeats(), progress.range(0.82, 1));
            Map<String, String> kept = new LinkedHashMap<>();
            s.selection().kept().forEach((k, v) -> kept.put(k, v.length + "/" + s.selection().original().get(k)));
            return new Report(plan, roundTo, images.size(), dense, pruned, b1, b64, ws.stats(ws.emptyPlan()),
                    smaller.stats(s.remaining()), timings(ws.tree(), s.tree(), pb, pa), pb.sumMs(), pa.sumMs(), kept,
                    s.notes(), smaller, s.remaining());
        };
    }

    private static List<LayerTiming> timings(LayerTree before, LayerTree after, LayerLatency.Profile pb,
                                             LayerLatency.Profile pa) {
        List<LayerTiming> out = new ArrayList<>();
        for (LayerInfo l : before.layers()) {
            LayerInfo a = after.layer(l.name());
            LayerLatency.LayerTime tb = pb.layer(l.name());
            LayerLatency.LayerTime ta = pa.layer(l.name());
            if (l.weights() > 0 && a != null && tb != null && ta != null) {
                out.add(new LayerTiming(l.name(), l.kind().label(), l.outChannels(), a.outChannels(), l.inChannels(),
                        a.inChannels(), tb.medianMs(), ta.medianMs()));
            }
        }
        return out;
    }

    /** Layers the granularity comparison can take one at a time (conv and dense layers, not the classifier). */
    public static List<String> comparableLayers(Workspace ws) {
        return ws.tree().prunableLayers().stream().filter(l -> l.kind() != LayerKind.OUTPUT).map(LayerInfo::name)
                .toList();
    }

    /**
     * Accuracy against sparsity for element, block and channel pruning of one layer (null: every weight
     * layer but the classifier), with measured batch-64 latency per point; {@code onUpdate} gets the
     * result so far on the engine thread after every point.
     */
    public static Job<GranularityComparison.Result> compareGranularity(Workspace ws, String layer,
                                                                       double[] sparsities, int images, int repeats,
                                                                       Consumer<GranularityComparison.Result> onUpdate) {
        if (ws == null) {
            throw new IllegalStateException("Open a model first (File → Open model).");
        }
        if (ws.data() == null) {
            throw new IllegalStateException("Open data that fits the model (File → Open data): " + ws.dataProblem());
        }
        double[] levels = sparsities.clone();
        return progress -> GranularityComparison.run(ws.model(), ws.tree(), layer, levels, validation(ws, images),
                repeats, progress, onUpdate);
    }

    /** Seconds the model takes per validation image, from the measured baseline (NaN until it is measured). */
    public static double secondsPerImage(Workspace ws) {
        var b = ws == null ? null : ws.baseline();
        return b == null || b.images() == 0 ? Double.NaN : b.seconds() / b.images();
    }
}
