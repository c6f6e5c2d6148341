package io.lathe.structure;

import io.lathe.compress.ChannelPlanner;
import io.lathe.compress.ChannelSelection;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.OriginalWeights;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoadException;
import io.lathe.model.ModelLoader;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies a plan with real structure: channel-granularity settings physically remove channels (a new,
 * smaller network), then the rest of the plan (element/block pruning, quantization, weight sharing)
 * is applied to that smaller network as usual. The result is an ordinary {@link LoadedModel} that
 * previews, fine-tuning and export use like any other. Engine thread only.
 */
public final class StructuredCompressor {
    private StructuredCompressor() {
    }

    /**
     * A structurally compressed model.
     *
     * @param model      the smaller network as a model (its graph holds the pruned, not yet quantized weights)
     * @param tree       its layer tree
     * @param selection  the channels kept, by original layer
     * @param remaining  the plan still to apply to {@code model}: channel settings removed, the rest kept
     * @param compressed {@code remaining} applied to a copy of {@code model}
     * @param notes      remarks for the user
     */
    public record Result(LoadedModel model, LayerTree tree, ChannelSelection selection, Plan remaining,
                         CompressedModel compressed, List<String> notes) {
    }

    /**
     * Prunes channels physically and applies the remaining settings.
     *
     * @param roundTo round kept channel counts up to a multiple of this (1, 8 or 16)
     */
    public static Result apply(LoadedModel model, LayerTree tree, Plan plan, int roundTo, Progress progress)
            throws ModelLoadException {
        progress.update(0.05, "choosing channels");
        ChannelSelection selection = ChannelPlanner.select(OriginalWeights.of(model.graph(), tree), tree, plan, roundTo);
        progress.checkCancelled();
        progress.update(0.2, "building the smaller network");
        ComputationGraph smaller = ChannelPruner.prune(model, tree, selection);
        LoadedModel small = wrap(model, smaller, "-channel");
        LayerTree smallTree = LayerTree.of(small);
        Plan remaining = withoutChannelPruning(plan).forModel(small.name(), small.sha256());
        progress.checkCancelled();
        progress.update(0.6, "applying the remaining settings");
        CompressedModel compressed = new PlanApplier(small, smallTree).apply(remaining);
        List<String> notes = new ArrayList<>(selection.notes());
        notes.add(String.format("%d of %d parameters left after removing channels (%.1f%%).", small.parameterCount(),
                model.parameterCount(), 100.0 * small.parameterCount() / model.parameterCount()));
        progress.update(1, "done");
        return new Result(small, smallTree, selection, remaining, compressed, notes);
    }

    /** A model around a graph derived from {@code base}, named with {@code suffix}. */
    public static LoadedModel wrap(LoadedModel base, ComputationGraph graph, String suffix) throws ModelLoadException {
        LoadedModel m = ModelLoader.fromGraph(base.name() + suffix, graph, base.inputShape());
        return new LoadedModel(m.name(), "derived:" + base.origin(), m.format(), m.sha256(), graph, base.inputShape(),
                base.channelsLast(), base.trained(), m.notes().stream().filter(n -> !n.startsWith("No preprocessing stated")).toList(),
                base.preprocessing());
    }

    /** The plan with every channel-granularity pruning setting replaced by no pruning. */
    public static Plan withoutChannelPruning(Plan plan) {
        PruneSetting dPrune = isChannel(plan.defaultPrune()) ? PruneSetting.NONE : plan.defaultPrune();
        Map<String, LayerSettings> layers = new TreeMap<>();
        plan.layers().forEach((name, s) -> layers.put(name,
                s.prune() != null && isChannel(s.prune()) ? s.withPrune(PruneSetting.NONE) : s));
        return new Plan(plan.modelName(), plan.modelSha256(), dPrune, plan.defaultQuant(), layers, plan.defaultShare(),
                plan.batchNormImages());
    }

    private static boolean isChannel(PruneSetting p) {
        return p.granularity() == Granularity.CHANNEL && !p.isNone();
    }
}
