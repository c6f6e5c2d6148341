package io.lathe.structure;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Factorization;
import io.lathe.model.LayerTree;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.LinkedHashMap;
import java.util.Map;

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
