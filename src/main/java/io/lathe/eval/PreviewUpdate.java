package io.lathe.eval;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;

/**
 * One step of a preview: accuracy measured so far on a class-stratified sample of the validation
 * split (an estimate with its 95% interval), or on all of it (exact, interval 0).
 *
 * @param plan       the plan measured
 * @param top1       accuracy on the images seen so far
 * @param images     images seen so far
 * @param total      images in the split
 * @param interval95 half-width of the 95% interval for the whole split's accuracy
 * @param exact      true when all images were evaluated
 * @param stats      size/work figures of the compressed model
 * @param bnReestimated true if BatchNorm statistics were re-estimated on training images
 * @param seconds    time since the preview started
 * @param startedFrom the cut point the network was re-run from ("input" when re-run whole)
 */
public record PreviewUpdate(Plan plan, double top1, int images, int total, double interval95, boolean exact,
                            ModelStats stats, boolean bnReestimated, double seconds, String startedFrom) {

    /** An update without timing details. */
    public PreviewUpdate(Plan plan, double top1, int images, int total, double interval95, boolean exact,
                         ModelStats stats, boolean bnReestimated) {
        this(plan, top1, images, total, interval95, exact, stats, bnReestimated, 0, "");
    }
}
