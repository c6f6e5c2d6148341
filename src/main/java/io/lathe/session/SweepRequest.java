package io.lathe.session;

import io.lathe.compress.Granularity;
import io.lathe.data.DataRequest;
import io.lathe.data.Split;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import io.lathe.sensitivity.SweepSpec;

import java.util.List;
import java.util.Objects;

/**
 * A sensitivity sweep: each layer's accuracy with only that layer pruned (per sparsity) or quantized
 * (per bit width), points stored in {@code storeDir} so an interrupted sweep resumes and a finished one
 * is reused: {@code lathe sensitivity} and the window's Sensitivity tab.
 *
 * @param model       the model
 * @param data        the data
 * @param split       "train", "val" or "test"
 * @param limit       only the first N images of the split (0: all)
 * @param layers      the layers to sweep, or null for every prunable layer
 * @param sparsities  sparsity levels, or null for the defaults
 * @param bits        bit widths, or null for the defaults
 * @param granularity "element", "block" or "channel"
 * @param blockShape  block shape for block granularity (e.g. "1x4")
 * @param floor       early-stopping floor, or null
 * @param storeDir    folder of stored sweep points
 * @param sparkMaster a Spark master to run the variants on, or null to run here
 */
public record SweepRequest(ModelRef model, DataRequest data, String split, int limit, List<String> layers,
                           double[] sparsities, int[] bits, String granularity, String blockShape, Double floor,
                           String storeDir, String sparkMaster) implements Request<SweepResult> {
    public SweepRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(storeDir, "storeDir");
        split = Split.parse(split == null ? Split.VALIDATION.key() : split).key();
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0");
        }
        layers = layers == null ? null : layers.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        granularity = Granularity.parse(granularity == null ? "element" : granularity).key();
        blockShape = blockShape == null ? "1x4" : blockShape;
        storeDir = java.nio.file.Path.of(storeDir).toAbsolutePath().normalize().toString();
    }

    /** The window's request: {@code spec} on the workspace's validation split, points kept in {@code storeDir}. */
    public static SweepRequest of(Workspace ws, SweepSpec spec, String storeDir, String sparkMaster) {
        return of(ModelRef.of(ws.model()), ws.dataRequest(), Split.VALIDATION.key(), 0, spec, storeDir, sparkMaster);
    }

    /** The request for a checked {@code spec} (the command line builds it so, as the window does). */
    public static SweepRequest of(ModelRef model, DataRequest data, String split, int limit, SweepSpec spec,
                                  String storeDir, String sparkMaster) {
        return new SweepRequest(model, data, split, limit, spec.layers(), spec.sparsities(), spec.bits(),
                spec.granularity().key(), spec.blockShape(), spec.floor(), storeDir, sparkMaster);
    }

    /** The sweep this request asks for, checked against the model's layers. */
    public SweepSpec spec(LayerTree tree) {
        List<String> names = layers != null ? layers : tree.prunableLayers().stream().map(LayerInfo::name).toList();
        SweepSpec spec = new SweepSpec(names, sparsities, bits, Granularity.parse(granularity), blockShape, floor);
        spec.checkAgainst(tree);
        return spec;
    }
}
