package io.lathe.ui;

import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.job.EngineRunner;
import io.lathe.job.Progress;
import io.lathe.model.ModelLoader;
import io.lathe.session.PlanJournal;
import io.lathe.session.TinyModels;
import io.lathe.session.UserSettings;
import io.lathe.session.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan-edit journal seen through the workbench view model, without a window (journal written in-line). */
class JournalRestoreTest {
    @TempDir
    Path dir;
    private final EngineRunner runner = EngineRunner.direct();
    private final ManualDelay delay = new ManualDelay();
    private final List<Throwable> failures = new ArrayList<>();
    private Workspace ws;

    @BeforeEach
    void open() throws Exception {
        ws = Workspace.of(TinyModels.model(), null, Progress.none());
    }

    @AfterEach
    void close() {
        runner.close();
        assertThat(failures).isEmpty();
    }

    private WorkbenchModel window(Path config) {
        return WorkbenchApp.wire(runner, Runnable::run, delay, (a, t) -> failures.add(t), UserSettings.load(config),
                Runnable::run);
    }

    private WorkbenchModel window() {
        return window(dir.resolve("config"));
    }

    private String journaledPlan() throws Exception {
        PlanJournal j = new PlanJournal(dir.resolve("config/journal"), java.time.Clock.systemUTC());
        return j.read(ws.sha256(), p -> { }).map(PlanJournal.Entry::planJson).orElse(null);
    }

    /** Five edits: two settings, a drag, an undo and a redo. */
    private static void edit(WorkbenchModel wb) {
        wb.setUniformSparsity(0.2, false);
        wb.setDefaultBits(4);
        wb.setUniformSparsity(0.3, true);
        wb.setUniformSparsity(0.45, true);
        wb.endUniformDrag();
        wb.editor().undo();
        wb.editor().redo();
    }

    @Test
    void aNewWindowRestoresTheExactPlanOfTheLastEditAndSaysSo() {
        WorkbenchModel first = window();
        first.workspaces().openWorkspace(ws);
        edit(first);
        String last = PlanJson.write(first.editor().plan());

        WorkbenchModel second = window();
        second.workspaces().openWorkspace(ws);
        assertThat(PlanJson.write(second.editor().plan())).isEqualTo(last);
        assertThat(second.editor().dirtyProperty().get()).isTrue();
        assertThat(second.planFiles().notices()).singleElement().asString()
                .startsWith("Restored the unsaved plan from your last session (5 edits, ");
        second.editor().undo();
        assertThat(second.editor().plan()).isEqualTo(WorkspaceModel.startPlan(ws));
    }

    @Test
    void aDragStepIsJournaledWhenTheThrottleFiresEvenWithoutARelease() throws Exception {
        WorkbenchModel wb = window();
        wb.workspaces().openWorkspace(ws);
        wb.setUniformSparsity(0.2, false);
        String committed = PlanJson.write(wb.editor().plan());
        wb.setUniformSparsity(0.5, true);
        wb.setUniformSparsity(0.6, true);
        assertThat(journaledPlan()).isEqualTo(committed);
        assertThat(delay.pending()).isEqualTo(1);
        delay.elapse();
        assertThat(journaledPlan()).isEqualTo(PlanJson.write(wb.editor().plan()));
    }

    @Test
    void aPlanRememberedAtACleanExitIsRestoredWithoutANotice() throws Exception {
        WorkbenchModel first = window();
        first.workspaces().openWorkspace(ws);
        edit(first);
        first.planFiles().rememberSession();

        WorkbenchModel second = window();
        second.workspaces().openWorkspace(ws);
        assertThat(second.editor().plan()).isEqualTo(first.editor().plan());
        assertThat(second.planFiles().notices()).isEmpty();
    }

    @Test
    void aPlanJournaledForAnotherModelIsNotApplied() throws Exception {
        WorkbenchModel first = window();
        first.workspaces().openWorkspace(ws);
        edit(first);
        Workspace other = Workspace.of(ModelLoader.load(TinyModels.saveSmaller(dir)), null, Progress.none());
        assertThat(other.sha256()).isNotEqualTo(ws.sha256());

        WorkbenchModel second = window();
        second.planFiles().setRestoreLastPlan(false);
        second.workspaces().openWorkspace(other);
        assertThat(second.editor().plan()).isEqualTo(WorkspaceModel.startPlan(other));
        assertThat(second.editor().dirtyProperty().get()).isFalse();
        assertThat(second.planFiles().notices()).isEmpty();
    }

    @Test
    void aCorruptJournalIsSetAsideAndTheModelStartsClean() throws Exception {
        Path file = PlanJournal.in(UserSettings.load(dir.resolve("config"))).fileFor(ws.sha256());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "\u0000\u0001 not json");

        WorkbenchModel wb = window();
        wb.workspaces().openWorkspace(ws);
        assertThat(wb.editor().plan()).isEqualTo(WorkspaceModel.startPlan(ws));
        assertThat(wb.planFiles().notices()).singleElement().asString().contains("set aside as " + file.getFileName() + ".corrupt-");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString()
                    .startsWith(file.getFileName() + ".corrupt-");
        }
    }

    @Test
    void aJournaledPlanThatNoLongerFitsTheModelIsSetAside() throws Exception {
        String plan = PlanJson.write(WorkspaceModel.startPlan(ws).withDefaults(
                io.lathe.compress.PruneSetting.sparsity(io.lathe.compress.Granularity.ELEMENT, 0.5),
                io.lathe.compress.QuantSetting.NONE));
        String broken = plan.replace("\"layers\" : { }", "\"layers\" : { \"no-such-layer\" : { \"locked\" : true } }");
        assertThat(broken).isNotEqualTo(plan);
        PlanJournal journal = PlanJournal.in(UserSettings.load(dir.resolve("config")));
        journal.write(new PlanJournal.Entry(broken, ws.sha256(), "tiny", "memory:tiny", null, 3, true,
                java.time.Instant.now()));

        WorkbenchModel wb = window();
        wb.workspaces().openWorkspace(ws);
        assertThat(wb.editor().plan()).isEqualTo(WorkspaceModel.startPlan(ws));
        assertThat(wb.planFiles().notices()).singleElement().asString().contains("no-such-layer").contains("set aside as");
        assertThat(journal.fileFor(ws.sha256())).doesNotExist();
    }

    @Test
    void aSavedPlanIsRestoredAndTheNoticeSaysItWasSaved() throws Exception {
        WorkbenchModel first = window();
        first.workspaces().openWorkspace(ws);
        edit(first);
        assertThat(first.planFiles().savePlan(dir.resolve("p.json"))).isTrue();

        WorkbenchModel second = window();
        second.workspaces().openWorkspace(ws);
        assertThat(second.editor().plan()).isEqualTo(first.editor().plan());
        assertThat(second.planFiles().notices()).singleElement().asString().contains("saved to a plan file");
    }

    @Test
    void aJournalThatCannotBeWrittenIsReportedOnce() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("config-file"), "x");
        WorkbenchModel wb = window(notAFolder);
        wb.workspaces().openWorkspace(ws);
        wb.setUniformSparsity(0.2, false);
        wb.setUniformSparsity(0.3, false);
        assertThat(wb.planFiles().notices()).singleElement().asString().startsWith("Plan edits are not being journaled")
                .contains("cannot write ");
        Plan p = wb.editor().plan();
        assertThat(p.defaultPrune().sparsity()).isEqualTo(0.3);
    }
}
