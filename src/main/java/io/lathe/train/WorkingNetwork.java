package io.lathe.train;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.compress.SharedWeights;
import io.lathe.compress.WeightSharing;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The copy of a model being fine-tuned, with its masks, training hooks and, for layers the plan
 * shares, their codebooks: after every step the masks are re-applied and each shared layer's
 * centroids move to the mean of their members' updated weights (Deep Compression's centroid
 * fine-tuning), so shared layers keep at most {@code 2^bits} values. Created from the loaded
 * model's copy (never the model itself) or from a checkpoint. Not thread-safe (engine thread only).
 */
final class WorkingNetwork {
    private final ComputationGraph net;
    private final PlanApplier applier;
    private final Plan plan;
    private final MaskSet masks;
    private final TrainingHooks hooks;
    private final Map<String, Double> targets;
    private final SharedWeights shared;

    private WorkingNetwork(ComputationGraph net, PlanApplier applier, Plan plan, MaskSet masks, TrainingHooks hooks,
                           Map<String, Double> targets, SharedWeights shared) {
        this.net = net;
        this.applier = applier;
        this.plan = plan;
        this.masks = masks;
        this.hooks = hooks;
        this.targets = targets;
        this.shared = shared;
        hooks.attach(net);
        shared.write(net);
        net.setListeners(new MaskKeeper(masks), new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                shared.refit((ComputationGraph) model);
            }
        });
    }

    /** Codebooks of the layers the plan shares, from {@code codebook(layer)}. */
    private static SharedWeights codebooks(PlanApplier applier, Plan plan,
                                           java.util.function.Function<String, WeightSharing.Codebook> codebook) {
        Map<String, WeightSharing.Codebook> m = new LinkedHashMap<>();
        for (String layer : applier.originals().layers()) {
            if (!plan.shareOf(layer).isNone()) {
                m.put(layer, codebook.apply(layer));
            }
        }
        return SharedWeights.of(m);
    }

    /**
     * A fresh copy of the model: with the plan's masks already applied, or dense when a gradual
     * schedule will prune it; Adam with the settings' learning-rate schedule; step count 0.
     */
    static WorkingNetwork fresh(PlanApplier applier, Plan plan, FineTuneSettings s, long totalSteps) {
        ComputationGraph net = applier.model().copyGraph();
        applier.writeActivations(net, plan);
        net.getConfiguration().setIterationCount(0);
        net.getConfiguration().setEpochCount(0);
        Adam adam = new Adam(learningRates(s.learningRate(), totalSteps));
        for (var layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer bl) {
                bl.setIUpdater(adam);
                bl.setBiasUpdater(adam);
            }
        }
        net.setUpdater(new ComputationGraphUpdater(net));
        Map<String, Double> targets = targets(applier, plan);
        MaskSet masks = new MaskSet(totalWeights(applier));
        boolean sharing = false;
        for (String layer : applier.originals().layers()) {
            sharing |= !plan.shareOf(layer).isNone();
        }
        if (sharing && s.schedule() != null) {
            throw new IllegalArgumentException("weight sharing fine-tunes the centroids of the plan's final weights: "
                    + "switch off gradual pruning (the schedule) for a plan that shares weights");
        }
        if (s.schedule() == null) {
            for (String layer : targets.keySet()) {
                CompressedLayer c = applier.compressLayer(plan, layer);
                masks.set(layer, c.keep(), c.layout(), applier.originals().shape(layer), c.prune().granularity(),
                        applier.batchNormAfter(layer));
            }
            masks.apply(net);
        }
        SharedWeights shared = codebooks(applier, plan, layer -> applier.compressLayer(plan, layer).codebook());
        return new WorkingNetwork(net, applier, plan, masks, TrainingHooks.of(net, plan, applier.originals().layers(),
                s.qat(), s.distillation()), targets, shared);
    }

    /** A network restored from a checkpoint: masks are its exact zeros in the layers the plan prunes. */
    static WorkingNetwork resumed(ComputationGraph restored, PlanApplier applier, Plan plan, FineTuneSettings s) {
        Map<String, Double> targets = targets(applier, plan);
        MaskSet masks = new MaskSet(totalWeights(applier));
        for (String layer : targets.keySet()) {
            masks.fromZeros(restored, layer, plan.pruneOf(layer).granularity(), applier.batchNormAfter(layer));
        }
        SharedWeights shared = codebooks(applier, plan,
                layer -> WeightSharing.cluster(restored.getLayer(layer).getParam("W").dup('c').data().asFloat(),
                        plan.shareOf(layer).bits()));
        return new WorkingNetwork(restored, applier, plan, masks, TrainingHooks.of(restored, plan,
                applier.originals().layers(), s.qat(), s.distillation()), targets, shared);
    }

    /** Adam's learning rate by iteration: ×1, ×0.3 at 50%, ×0.1 at 75%, ×0.03 at 90% of the steps. */
    static ISchedule learningRates(double lr, long totalSteps) {
        Map<Integer, Double> m = new LinkedHashMap<>();
        m.put(0, lr);
        m.put((int) Math.max(1, 0.50 * totalSteps), lr * 0.3);
        m.put((int) Math.max(2, 0.75 * totalSteps), lr * 0.1);
        m.put((int) Math.max(3, 0.90 * totalSteps), lr * 0.03);
        return new MapSchedule(ScheduleType.ITERATION, m);
    }

    /** Per pruned layer, the sparsity the plan asks for (thresholds: the fraction they remove from the original). */
    static Map<String, Double> targets(PlanApplier applier, Plan plan) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String layer : applier.originals().layers()) {
            PruneSetting p = plan.pruneOf(layer);
            if (p.isNone()) {
                continue;
            }
            double t = p.sparsity() != null ? p.sparsity()
                    : io.lathe.compress.Pruner.sparsity(applier.compressLayer(plan, layer).keep());
            if (t > 0) {
                out.put(layer, t);
            }
        }
        return out;
    }

    private static long totalWeights(PlanApplier applier) {
        long n = 0;
        for (String layer : applier.originals().layers()) {
            long p = 1;
            for (long d : applier.originals().shape(layer)) {
                p *= d;
            }
            n += p;
        }
        return n;
    }

    /** Moves every pruned layer's mask to the schedule's sparsity at {@code step} and applies the masks. */
    void pruneAt(long step, AgpSchedule schedule) {
        targets.forEach((layer, target) -> {
            double s = schedule.sparsity(step, 0, target);
            if (s > 0) {
                masks.prune(net, layer, plan.pruneOf(layer).withSparsity(Math.min(s, target)),
                        applier.batchNormAfter(layer));
            }
        });
        masks.apply(net);
    }

    /**
     * The compressed network as it would be exported: a clean copy (no training hooks) with masks
     * applied and every layer quantized under the plan (prune mask, then quantize; zeros exact);
     * shared layers hold their codebook's values already (sharing replaces quantization).
     */
    ComputationGraph export() {
        ComputationGraph copy = detachedClone();
        for (String layer : applier.originals().layers()) {
            QuantSetting q = plan.quantOf(layer);
            if (!q.isNone() && plan.shareOf(layer).isNone()) {
                INDArray w = copy.getLayer(layer).getParam("W");
                w.assign(FakeQuantizer.quantized(w, q));
            }
        }
        masks.apply(copy);
        return copy;
    }

    /** A copy of the network without the training hooks in its configuration (for saving). */
    ComputationGraph detachedClone() {
        hooks.detach(net);
        try {
            return net.clone();
        } finally {
            hooks.attach(net);
        }
    }

    /** Zero fraction of the prunable weights of {@code g} (shaped like this network). */
    double zeroFraction(ComputationGraph g) {
        long zeros = 0;
        long total = 0;
        for (String layer : applier.originals().layers()) {
            INDArray w = g.getLayer(layer).getParam("W");
            total += w.length();
            zeros += w.length() - w.neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT64).sumNumber().longValue();
        }
        return total == 0 ? 0 : (double) zeros / total;
    }

    ComputationGraph net() {
        return net;
    }

    MaskSet masks() {
        return masks;
    }

    Map<String, Double> targets() {
        return targets;
    }

    boolean distilling() {
        return hooks.distilling();
    }
}
