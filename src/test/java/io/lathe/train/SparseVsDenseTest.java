package io.lathe.train;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.data.DataSplits;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SparseVsDenseTest {
    /** One block per stage, 8×8 grey images, three classes, with L2 for training. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8, 8).withL2(1e-5);


    @Test
    void prunesTheLargeModelToTheSmallModelsNonZeroCount() throws Exception {
        LoadedModel large = NET.withSeed(31).model("tiny-31");
        LoadedModel small = TinyResNet.of(1, 2, 4, 4).withL2(1e-5).withSeed(32).model("tiny-small-32");
        DataSplits data = new DataSplits("tiny", TinyImages.brightestThird(128, 8, 3), TinyImages.brightestThird(64, 8, 4),
                TinyImages.brightestThird(64, 8, 5));
        FineTuneSettings budget = new FineTuneSettings(2, 32, 5e-3, 1, false, null, null, 0, null, false, 0,
                io.lathe.data.Augmentation.SAMPLE);
        SparseVsDense.Result r = new SparseVsDense(large, small, data, budget, FineTuneListener.none())
                .run(Progress.none());
        assertThat(r.points()).extracting(SparseVsDense.Point::phase)
                .containsExactly("before", "before", "pruned+fine-tuned", "fine-tuned");
        SparseVsDense.Point prunedLarge = r.points().get(2);
        assertThat((double) prunedLarge.nonZeroWeights()).isCloseTo(r.smallNonZero(), within(0.02 * r.smallNonZero()));
        assertThat(r.points().get(0).nonZeroWeights()).isEqualTo(r.largeWeights());
        assertThat(r.largeSparsity()).isCloseTo(1 - (double) r.smallNonZero() / r.largeWeights(), within(1e-12));
        assertThat(r.largeHistory()).hasSize(2);
        assertThat(r.smallHistory()).hasSize(2);
    }
}
