package io.lathe.session;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.data.DataRequest;
import io.lathe.data.Split;

import java.util.Objects;

/**
 * Top-1 of a model, with a plan applied or not, on a data split: {@code lathe eval} and the window's
 * Run → Evaluate plan.
 *
 * @param model           the model
 * @param data            the data
 * @param planJson        the plan as a plan file's text, or null for the unchanged model
 * @param split           "train", "val", "test" or "all" (every image of the data folder)
 * @param limit           only the first N images of the split (0: all)
 * @param batchNormImages BatchNorm calibration images in place of the plan's own setting, or null
 * @param sparkMaster     a Spark master to evaluate on, or null to evaluate here
 */
public record EvaluateRequest(ModelRef model, DataRequest data, String planJson, String split, int limit,
                              Integer batchNormImages, String sparkMaster) implements Request<EvaluateResult> {
    public EvaluateRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        split = split == null ? Split.VALIDATION.key() : split.toLowerCase(java.util.Locale.ROOT);
        if (!"all".equals(split)) {
            split = Split.parse(split).key();
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0");
        }
        if (batchNormImages != null && batchNormImages < 0) {
            throw new IllegalArgumentException("--bn-reestimate must be >= 0 (number of training images; 0 = off)");
        }
    }

    /** The window's request: {@code plan} on {@code split} of the workspace's data, here. */
    public static EvaluateRequest of(Workspace ws, Plan plan, String split) {
        return new EvaluateRequest(ModelRef.of(ws.model()), ws.dataRequest(), PlanJson.write(plan), split, 0, null,
                null);
    }

    /** True for the split of every image in the folder. */
    public boolean allImages() {
        return "all".equals(split);
    }
}
