package io.lathe.compress;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable compression configuration: defaults for every prunable layer plus per-layer overrides.
 * The single source of truth for what Lathe applies, previews, fine-tunes and exports.
 *
 * @param modelName      name of the model the plan was made for
 * @param modelSha256    fingerprint of that model (null = not bound to a model)
 * @param defaultPrune   pruning for layers without their own
 * @param defaultQuant   quantization for layers without their own
 * @param layers         per-layer overrides, by layer name
 * @param defaultShare   weight sharing for layers without their own ({@link ShareSetting#NONE} = off)
 * @param batchNormImages BatchNorm calibration: after compressing, refresh the running statistics of the
 *                        BatchNorm layers behind compressed layers from the first N training images (no
 *                        gradient step; 0 = off). Part of the plan so that preview, eval and export agree.
 */
public record Plan(String modelName, String modelSha256, PruneSetting defaultPrune, QuantSetting defaultQuant,
                   Map<String, LayerSettings> layers, ShareSetting defaultShare, int batchNormImages) {

    public Plan {
        if (batchNormImages < 0) {
            throw new IllegalArgumentException("BatchNorm calibration images must be >= 0 (0 = off), got "
                    + batchNormImages);
        }
        Objects.requireNonNull(defaultPrune);
        Objects.requireNonNull(defaultQuant);
        defaultShare = defaultShare == null ? ShareSetting.NONE : defaultShare;
        TreeMap<String, LayerSettings> copy = new TreeMap<>();
        layers.forEach((k, v) -> {
            if (!v.isEmpty()) {
                copy.put(k, v);
            }
        });
        layers = Collections.unmodifiableMap(copy);
    }

    /** A plan without BatchNorm calibration. */
    public Plan(String modelName, String modelSha256, PruneSetting defaultPrune, QuantSetting defaultQuant,
                Map<String, LayerSettings> layers, ShareSetting defaultShare) {
        this(modelName, modelSha256, defaultPrune, defaultQuant, layers, defaultShare, 0);
    }

    /** A plan without default weight sharing. */
    public Plan(String modelName, String modelSha256, PruneSetting defaultPrune, QuantSetting defaultQuant,
                Map<String, LayerSettings> layers) {
        this(modelName, modelSha256, defaultPrune, defaultQuant, layers, ShareSetting.NONE);
    }

    /** The plan that changes nothing, bound to a model. */
    public static Plan empty(String modelName, String modelSha256) {
        return new Plan(modelName, modelSha256, PruneSetting.NONE, QuantSetting.NONE, Map.of());
    }

    /** The effective pruning of a layer. */
    public PruneSetting pruneOf(String layer) {
        LayerSettings s = layers.get(layer);
        return s != null && s.prune() != null ? s.prune() : defaultPrune;
    }

    /** The effective quantization of a layer. */
    public QuantSetting quantOf(String layer) {
        LayerSettings s = layers.get(layer);
        return s != null && s.quant() != null ? s.quant() : defaultQuant;
    }

    /** The effective weight sharing of a layer ({@link ShareSetting#NONE} when off). */
    public ShareSetting shareOf(String layer) {
        LayerSettings s = layers.get(layer);
        return s != null && s.share() != null ? s.share() : defaultShare;
    }

    /** The low-rank factorization of a layer ({@link LowRankSetting#NONE} when off). */
    public LowRankSetting lowRankOf(String layer) {
        LayerSettings s = layers.get(layer);
        return s != null && s.lowRank() != null ? s.lowRank() : LowRankSetting.NONE;
    }

    /** The activation threshold of a ReLU layer ({@link ActivationSetting#NONE} when off). */
    public ActivationSetting activationOf(String layer) {
        LayerSettings s = layers.get(layer);
        return s != null && s.activation() != null ? s.activation() : ActivationSetting.NONE;
    }

    /** Layers the plan factorizes, by name, with their settings. */
    public Map<String, LowRankSetting> lowRankLayers() {
        Map<String, LowRankSetting> out = new TreeMap<>();
        layers.forEach((k, v) -> {
            if (v.lowRank() != null) {
                out.put(k, v.lowRank());
            }
        });
        return out;
    }

    /** ReLU layers the plan thresholds, by name, with their thresholds. */
    public Map<String, Double> activationThresholds() {
        Map<String, Double> out = new TreeMap<>();
        layers.forEach((k, v) -> {
            if (v.activation() != null) {
                out.put(k, v.activation().threshold());
            }
        });
        return out;
    }

    /** True if the plan changes weight layer {@code layer}'s weights in any way (pruning, bits, sharing, low-rank). */
    public boolean changesWeights(String layer) {
        return !pruneOf(layer).isNone() || !quantOf(layer).isNone() || !shareOf(layer).isNone()
                || !lowRankOf(layer).isNone();
    }

    /** True if the user locked (pinned) this layer. */
    public boolean isLocked(String layer) {
        LayerSettings s = layers.get(layer);
        return s != null && s.locked();
    }

    /** The override entry of a layer (never null). */
    public LayerSettings settingsOf(String layer) {
        return layers.getOrDefault(layer, LayerSettings.INHERIT);
    }

    /** A plan with {@code layer}'s override replaced. */
    public Plan with(String layer, LayerSettings settings) {
        TreeMap<String, LayerSettings> m = new TreeMap<>(layers);
        m.put(layer, settings);
        return new Plan(modelName, modelSha256, defaultPrune, defaultQuant, m, defaultShare, batchNormImages);
    }

    /** A plan with new defaults; overrides are kept. */
    public Plan withDefaults(PruneSetting prune, QuantSetting quant) {
        return new Plan(modelName, modelSha256, prune, quant, layers, defaultShare, batchNormImages);
    }

    /** A plan with a new default weight sharing; overrides are kept. */
    public Plan withDefaultShare(ShareSetting share) {
        return new Plan(modelName, modelSha256, defaultPrune, defaultQuant, layers, share, batchNormImages);
    }

    /** A plan without any per-layer overrides. */
    public Plan withoutOverrides() {
        return new Plan(modelName, modelSha256, defaultPrune, defaultQuant, Map.of(), defaultShare, batchNormImages);
    }

    /** A plan bound to another model fingerprint. */
    public Plan forModel(String name, String sha256) {
        return new Plan(name, sha256, defaultPrune, defaultQuant, layers, defaultShare, batchNormImages);
    }

    /** A plan with BatchNorm calibration on {@code images} training images (0 = off). */
    public Plan withBatchNormImages(int images) {
        return new Plan(modelName, modelSha256, defaultPrune, defaultQuant, layers, defaultShare, images);
    }
}
