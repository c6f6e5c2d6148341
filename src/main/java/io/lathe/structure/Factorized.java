package io.lathe.structure;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Factorization;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.LowRankSetting;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoadException;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a compressed model whose plan factorizes layers into the network that really has the smaller
 * layers: each factorized layer becomes its two compressed factors as two layers ({@link LowRank#build}),
 * every other parameter (BatchNorm statistics calibrated or not, biases, compressed weights) and the
 * activation thresholds come from the compressed model. Previews compute the factorized layers as the
 * single tensor the factors make together, so the two networks agree up to float rounding. Engine
 * thread only; the input is not changed.
 */
public final class Factorized {
    private Factorized() {
    }

    /**
     * What a fine-tune trains for a plan: without low-rank settings the model and plan themselves; with
     * them, the network with real factorized layers (exact SVD factors at the plan's ranks, full
     * precision) and the plan for it: low-rank settings removed, each factorized layer's pruning,
     * quantization and sharing given to both its factors, activation thresholds kept. Training the
     * factors keeps the layers low-rank.
     *
     * @param model   the model to train
     * @param applier its applier
     * @param plan    the plan to train under
     */
    public record Training(LoadedModel model, PlanApplier applier, Plan plan) {
    }

    /** The model, applier and plan a fine-tune of {@code plan} on {@code applier}'s model trains. */
    public static Training forTraining(PlanApplier applier, Plan plan) throws ModelLoadException {
        Map<String, LowRankSetting> lowRank = plan.lowRankLayers();
        if (lowRank.isEmpty()) {
            return new Training(applier.model(), applier, plan);
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        lowRank.forEach((layer, setting) -> {
            CompressedLayer c = applier.compressLayer(plan, layer);
            ranks.put(layer, c.factored().rank());
        });
        ComputationGraph g = LowRank.factorize(applier.model(), applier.tree(), ranks);
        applier.writeActivations(g, plan);
        LoadedModel m = StructuredCompressor.wrap(applier.model(), g, "-lowrank");
        Map<String, LayerSettings> layers = new TreeMap<>();
        plan.layers().forEach((name, s) -> {
            LayerSettings rest = s.withLowRank(null);
            layers.put(name, rest);
            if (s.lowRank() != null) {
                layers.put(name + LowRank.FIRST_SUFFIX, rest.withLocked(false));
            }
        });
        Plan remaining = new Plan(m.name(), m.sha256(), plan.defaultPrune(), plan.defaultQuant(), layers,
                plan.defaultShare(), plan.batchNormImages());
        return new Training(m, new PlanApplier(m, LayerTree.of(m)), remaining);
    }

    /** True if some layer of {@code cm} is factorized. */
    public static boolean any(CompressedModel cm) {
        return cm.layers().values().stream().anyMatch(l -> l.factored() != null);
    }

    /**
     * The compressed model with real factorized layers: its graph has {@code <layer>.lowrank} then
     * {@code <layer>} for each factorized layer, its layer map the two factors' compressions under those
     * names (other layers unchanged), and the plan and size figures of {@code cm}.
     */
    public static CompressedModel materialize(CompressedModel cm, LayerTree tree) {
        if (!any(cm)) {
            return cm;
        }
        Map<String, Factorization.Factors> factors = new LinkedHashMap<>();
        Map<String, CompressedLayer> layers = new LinkedHashMap<>();
        for (Map.Entry<String, CompressedLayer> e : cm.layers().entrySet()) {
            CompressedLayer c = e.getValue();
            CompressedLayer.Factored f = c.factored();
            if (f == null) {
                layers.put(e.getKey(), c);
                continue;
            }
            long[] shape = cm.graph().getLayer(e.getKey()).getParam("W").shape();
            long[][] shapes = Factorization.factorShapes(shape, f.mode(), f.rank());
            factors.put(e.getKey(), new Factorization.Factors(f.mode(), f.rank(), f.energy(), shapes[0],
                    f.first().weights(), shapes[1], f.second().weights()));
            layers.put(f.first().name(), f.first());
            layers.put(f.second().name(), f.second());
        }
        ComputationGraph g = LowRank.build(cm.graph(), tree, factors);
        return new CompressedModel(cm.plan(), g, layers, cm.stats());
    }
}
