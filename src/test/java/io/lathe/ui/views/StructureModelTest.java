package io.lathe.ui.views;

import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.model.LayerInfo;
import io.lathe.session.StructureService;
import io.lathe.session.Workspace;
import io.lathe.ui.LatestJob;
import io.lathe.ui.structure.StructureModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Structure tab's view model on the tiny ResNet: removal, continue with the smaller model, go back. */
class StructureModelTest extends ViewModelTest {
    private StructureModel model;

    @BeforeEach
    void open() throws Exception {
        f = new ViewFixture(dir, true);
        model = new StructureModel(f.wb, Runnable::run);
        model.setEffort(n -> new StructureService.Effort(n, 2, 1, 1));
        model.setImages(40);
    }

    private Plan channelPlan(double sparsity) {
        return f.ws.emptyPlan().withDefaults(PruneSetting.sparsity(Granularity.CHANNEL, sparsity), QuantSetting.NONE);
    }

    private void runToEnd() throws InterruptedException {
        assertThat(model.run()).isNull();
        ViewFixture.await(() -> model.stateProperty().get() != LatestJob.State.RUNNING);
        assertThat(f.failures).isEmpty();
        assertThat(model.stateProperty().get()).isEqualTo(LatestJob.State.DONE);
    }

    @Test
    void aPlanWithoutChannelSettingsSaysWhatToSetInstead() {
        f.wb.editor().edit("element", f.ws.emptyPlan().withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.5),
                QuantSetting.NONE));

        String why = model.run();

        assertThat(why).contains("removes no whole channels").contains("granularity to \"channel\"");
        assertThat(model.problemProperty().get()).isEqualTo(why);
        assertThat(model.stateProperty().get()).isEqualTo(LatestJob.State.IDLE);
    }

    @Test
    void removalMeasuresTheSmallerNetworkAgainstTheUnchangedOne() throws Exception {
        f.wb.editor().edit("channels", channelPlan(0.5));

        runToEnd();

        StructureService.Report r = model.reportProperty().get();
        assertThat(r.images()).isEqualTo(40);
        assertThat(r.after().totalParams()).isLessThan(r.before().totalParams());
        assertThat(r.after().macs()).isLessThan(r.before().macs());
        assertThat(r.batch1().second().medianMs()).isPositive();
        assertThat(r.batch64().second().medianMs()).isPositive();
        assertThat(r.prunedTop1()).isBetween(0.0, 1.0);
        assertThat(r.layers()).anySatisfy(t -> assertThat(t.outAfter()).isLessThan(t.outBefore()));
        assertThat(r.layers()).allSatisfy(t -> assertThat(t.afterMs()).isPositive());
        assertThat(r.kept()).containsKey("stem.conv");
        // the model runs on its own executor thread: the state turns DONE a moment before canContinue follows
        ViewFixture.await(() -> model.canContinueProperty().get());
        assertThat(f.wb.workspace()).isSameAs(f.ws);
    }

    @Test
    void continuingSwitchesToTheSmallerModelAndGoingBackRestoresModelAndPlan() throws Exception {
        Plan channels = channelPlan(0.5);
        f.wb.editor().edit("channels", channels);
        runToEnd();
        // The job's completion callback sets the state before the report's dependents: wait for them.
        ViewFixture.await(() -> model.canContinueProperty().get());
        StructureService.Report r = model.reportProperty().get();

        model.continueWithSmaller();

        Workspace smaller = f.wb.workspace();
        assertThat(smaller).isSameAs(r.smaller());
        assertThat(smaller.modelName()).isEqualTo("tiny-resnet-channel");
        assertThat(smaller.teacher().name()).as("distillation learns from the network before removal")
                .isEqualTo(f.ws.modelName());
        LayerInfo stem = smaller.tree().layer("stem.conv");
        assertThat(stem.outChannels()).isLessThan(f.ws.tree().layer("stem.conv").outChannels());
        assertThat(f.wb.editor().plan()).isEqualTo(r.remaining());
        assertThat(StructureService.channelLayers(smaller, f.wb.editor().plan())).isEmpty();
        assertThat(model.backToProperty().get()).isEqualTo("tiny-resnet");
        assertThat(model.canContinueProperty().get()).isFalse();

        model.goBack();

        assertThat(f.wb.workspace()).isSameAs(f.ws);
        assertThat(f.wb.editor().plan()).isEqualTo(channels);
        assertThat(model.backToProperty().get()).isNull();
        assertThat(model.canContinueProperty().get()).isTrue();
    }

    @Test
    void anEditAfterTheMeasurementBlocksContinuingWithTheOutdatedNetwork() throws Exception {
        f.wb.editor().edit("channels", channelPlan(0.5));
        runToEnd();

        f.wb.editor().edit("more channels", channelPlan(0.25));

        assertThat(model.reportIsCurrent()).isFalse();
        assertThat(model.canContinueProperty().get()).isFalse();
        model.continueWithSmaller();
        assertThat(f.wb.workspace()).isSameAs(f.ws);
    }
}
