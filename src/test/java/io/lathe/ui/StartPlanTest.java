package io.lathe.ui;

import io.lathe.job.Progress;
import io.lathe.session.TinyModels;
import io.lathe.session.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartPlanTest {
    @AfterEach
    void clear() {
        System.clearProperty(WorkspaceModel.BN_IMAGES_PROPERTY);
    }

    @Test
    void newPlansCalibrateBatchNormOnTheWorkspacesTrainingImages() throws Exception {
        Workspace ws = Workspace.of(TinyModels.model(), TinyModels.data(), Progress.none());
        assertThat(ws.bnImages()).isPositive();
        assertThat(WorkspaceModel.startPlan(ws).batchNormImages()).isEqualTo(ws.bnImages());
        assertThat(WorkspaceModel.startPlan(ws).withBatchNormImages(0)).isEqualTo(ws.emptyPlan());
    }

    @Test
    void thePropertyTurnsItOffOrLowersIt() throws Exception {
        Workspace ws = Workspace.of(TinyModels.model(), TinyModels.data(), Progress.none());
        System.setProperty(WorkspaceModel.BN_IMAGES_PROPERTY, "0");
        assertThat(WorkspaceModel.startPlan(ws).batchNormImages()).isZero();
        System.setProperty(WorkspaceModel.BN_IMAGES_PROPERTY, "7");
        assertThat(WorkspaceModel.startPlan(ws).batchNormImages()).isEqualTo(Math.min(7, ws.bnImages()));
    }
}
