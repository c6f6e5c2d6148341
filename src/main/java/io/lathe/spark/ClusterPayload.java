package io.lathe.spark;

import io.lathe.data.DataRequest;
import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.data.Split;
import io.lathe.model.LoadedModel;

import java.io.Serializable;
import java.util.UUID;

/**
 * What every executor gets once (as a Spark broadcast) for one command's work: the model, where the
 * data is and how to read it, and which of its images the driver measures on (split, limit, and their
 * fingerprint, so an executor that reads other images refuses to measure them). Immutable.
 *
 * @param key         distinguishes this payload's cached executor state from any other's
 * @param model       the model
 * @param data        the data's folder, preprocessing and class names
 * @param split       train, val, test or all
 * @param limit       first N images of the split (0 = all)
 * @param fingerprint the driver's fingerprint of those images
 */
public record ClusterPayload(String key, ShippedModel model, DataRequest data, String split, int limit,
                             String fingerprint) implements Serializable {

    /** The payload for measuring {@code images} ({@code split}, first {@code limit}) of {@code data} with {@code m}. */
    public static ClusterPayload of(LoadedModel m, DataRequest data, String split, int limit, LabeledImages images) {
        try {
            return new ClusterPayload(UUID.randomUUID().toString(), ShippedModel.of(m), data.located(), split, limit,
                    images.fingerprint());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The measured images out of the splits read on an executor, checked against the driver's. */
    LabeledImages select(DataSplits splits) {
        LabeledImages images = "all".equals(split) ? splits.all() : splits.get(Split.parse(split));
        if (limit > 0) {
            images = images.limit(limit);
        }
        if (!images.fingerprint().equals(fingerprint)) {
            throw new IllegalStateException("this executor read other images from "
                    + (data.folder() == null ? "the bundled data" : data.folder()) + " than the driver did: every "
                    + "executor must see the same data at the same path");
        }
        return images;
    }
}
