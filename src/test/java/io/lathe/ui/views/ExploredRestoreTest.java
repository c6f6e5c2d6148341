package io.lathe.ui.views;

import io.lathe.compress.Plan;
import io.lathe.ui.ExploredPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Clicking an explored point brings its plan back, as one undoable edit. */
class ExploredRestoreTest {
    @Test
    void restoringAnExploredPointMakesItsPlanCurrentAndUndoGoesBack(@TempDir Path dir) throws Exception {
        try (ViewFixture f = new ViewFixture(dir, true)) {
            f.wb.setUniformSparsity(0.5, false);
            ViewFixture.await(() -> f.wb.preview().explored().stream()
                    .anyMatch(p -> p.plan().equals(f.wb.editor().plan())));
            Plan half = f.wb.editor().plan();
            f.wb.setUniformSparsity(0.3, false);
            ViewFixture.await(() -> f.wb.preview().explored().stream()
                    .anyMatch(p -> p.plan().equals(f.wb.editor().plan())));
            Plan third = f.wb.editor().plan();
            ExploredPoint p50 = f.wb.preview().explored().stream().filter(p -> p.plan().equals(half)).findFirst()
                    .orElseThrow();

            f.wb.restoreExplored(p50);
            assertThat(f.wb.editor().plan()).isEqualTo(half);
            f.wb.editor().undo();
            assertThat(f.wb.editor().plan()).isEqualTo(third);
            assertThat(f.failures).isEmpty();
        }
    }
}
