package io.lathe.ui.views;

import io.lathe.session.TinyModels;
import io.lathe.train.SparseVsDense;
import io.lathe.ui.LatestJob;
import io.lathe.ui.finetune.FineTuneModel;
import io.lathe.ui.finetune.SparseVsDenseModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SparseVsDenseModelTest extends ViewModelTest {
    private SparseVsDenseModel model() throws Exception {
        f = new ViewFixture(dir, true);
        return new FineTuneModel(f.wb, Runnable::run, dir.resolve("out")).experiment();
    }

    private static void awaitEnd(SparseVsDenseModel m) throws InterruptedException {
        ViewFixture.await(() -> m.stateProperty().get() != LatestJob.State.RUNNING);
    }

    @Test
    void badInputIsRefusedBeforeTheStartWithWhatToDoInstead() throws Exception {
        SparseVsDenseModel m = model();
        m.smallFileProperty().set(dir.resolve("missing.zip").toString());
        assertThat(m.validate()).contains("does not exist").contains("choose a DL4J zip");
        assertThat(m.start()).contains("does not exist");
        m.smallFileProperty().set(TinyModels.saveSmaller(dir).toString());
        assertThat(m.validate()).isNull();
        m.epochsProperty().set("1.5");
        assertThat(m.validate()).contains("must be whole");
        m.epochsProperty().set("many");
        assertThat(m.validate()).contains("not a number");
        m.epochsProperty().set("0.01");
        assertThat(m.validate()).contains("than one batch");
        m.epochsProperty().set("0.5");
        assertThat(m.validate()).isNull();
        assertThat(m.budgetNote()).contains("first " + (f.ws.data().train().size() / 2) + " of");
        assertThat(m.stateProperty().get()).isEqualTo(LatestJob.State.IDLE);
    }

    @Test
    void aSmallModelThatIsNotSmallerStopsWithAClearMessage() throws Exception {
        SparseVsDenseModel m = model();
        m.smallFileProperty().set(TinyModels.saveOther(dir, "wider", new int[]{8, 16, 16}, 1, 28).toString());
        assertThat(m.start()).isNull();
        awaitEnd(m);
        assertThat(m.stateProperty().get()).isEqualTo(LatestJob.State.FAILED);
        assertThat(m.statusProperty().get()).contains("not fewer than").contains("pick a smaller model");
        assertThat(f.failures).isEmpty();
        assertThat(m.points()).isEmpty();
    }

    @Test
    void aSmallModelForOtherImagesStopsWithAClearMessage() throws Exception {
        SparseVsDenseModel m = model();
        m.smallFileProperty().set(TinyModels.saveOther(dir, "colour", new int[]{2, 4, 4}, 3, 28).toString());
        assertThat(m.start()).isNull();
        awaitEnd(m);
        assertThat(m.stateProperty().get()).isEqualTo(LatestJob.State.FAILED);
        assertThat(m.statusProperty().get()).contains("takes 3×28×28 inputs").contains("1×28×28");
    }

    @Test
    void aShortRunMeasuresBothModelsAtEqualNonZerosAndConcludes() throws Exception {
        SparseVsDenseModel m = model();
        m.smallFileProperty().set(TinyModels.saveSmaller(dir).toString());
        m.epochsProperty().set("0.5");
        var before = f.ws;
        assertThat(m.estimatedSeconds()).isPositive();
        assertThat(m.start()).isNull();
        awaitEnd(m);
        assertThat(f.failures).isEmpty();
        assertThat(m.stateProperty().get()).isEqualTo(LatestJob.State.DONE);
        assertThat(m.points()).extracting(SparseVsDenseModel.Measured::role).containsExactly(
                SparseVsDenseModel.LARGE, SparseVsDenseModel.SMALL, SparseVsDenseModel.LARGE, SparseVsDenseModel.SMALL);
        assertThat(m.points()).extracting(SparseVsDenseModel.Measured::after).containsExactly(false, false, true, true);
        SparseVsDense.Point largeBefore = m.points().get(0).point();
        SparseVsDense.Point smallAfter = m.points().get(3).point();
        SparseVsDense.Point largeAfter = m.points().get(2).point();
        assertThat(largeBefore.nonZeroWeights()).isEqualTo(m.largeWeights());
        assertThat((double) largeAfter.nonZeroWeights()).isCloseTo(smallAfter.nonZeroWeights(),
                within(0.03 * smallAfter.nonZeroWeights()));
        assertThat(m.largeEpochs()).hasSize(1);
        assertThat(m.smallEpochs()).hasSize(1);
        var o = m.outcomeProperty().get();
        assertThat(o.testImages()).isEqualTo(f.ws.data().test().size());
        assertThat(m.conclusionProperty().get())
                .startsWith(String.format(java.util.Locale.ROOT, "large-sparse %.2f%% at", 100 * largeAfter.testTop1()))
                .contains(String.format(java.util.Locale.ROOT, "small-dense %.2f%% at", 100 * smallAfter.testTop1()))
                .contains("test top-1 on " + o.testImages() + " images, measured");
        assertThat(Files.readString(o.recordFile())).contains("\"smallNonZero\"").contains("\"points\"");
        assertThat(f.wb.workspace()).isSameAs(before);
    }
}
