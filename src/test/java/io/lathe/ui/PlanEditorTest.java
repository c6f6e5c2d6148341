package io.lathe.ui;

import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanEditorTest {
    private final Plan empty = Plan.empty("m", "abc");
    private final PlanEditor editor = new PlanEditor();

    private Plan sparse(double s) {
        return empty.withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, s), QuantSetting.NONE);
    }

    @Test
    void undoAndRedoWalkThroughEveryEdit() {
        editor.reset(empty);
        editor.edit("a", sparse(0.1));
        editor.edit("b", sparse(0.2));
        editor.undo();
        assertThat(editor.plan()).isEqualTo(sparse(0.1));
        editor.undo();
        assertThat(editor.plan()).isEqualTo(empty);
        assertThat(editor.canUndoProperty().get()).isFalse();
        editor.redo();
        editor.redo();
        assertThat(editor.plan()).isEqualTo(sparse(0.2));
        assertThat(editor.canRedoProperty().get()).isFalse();
    }

    @Test
    void aNewEditClearsTheRedoStack() {
        editor.reset(empty);
        editor.edit("a", sparse(0.1));
        editor.undo();
        editor.edit("b", sparse(0.3));
        assertThat(editor.canRedoProperty().get()).isFalse();
        assertThat(editor.undoTextProperty().get()).isEqualTo("b");
    }

    @Test
    void aDragIsOneEditHoweverManyStepsItTakes() {
        editor.reset(empty);
        editor.drag("drag", sparse(0.1));
        editor.drag("drag", sparse(0.2));
        editor.drag("drag", sparse(0.3));
        editor.endDrag();
        editor.undo();
        assertThat(editor.plan()).isEqualTo(empty);
        assertThat(editor.canUndoProperty().get()).isFalse();
    }

    @Test
    void twoDragsAreTwoEdits() {
        editor.reset(empty);
        editor.drag("drag", sparse(0.1));
        editor.endDrag();
        editor.drag("drag", sparse(0.2));
        editor.endDrag();
        editor.undo();
        assertThat(editor.plan()).isEqualTo(sparse(0.1));
    }

    @Test
    void dirtyUntilSavedAndCleanAgainWhenUndoneToTheSavedPlan() {
        editor.reset(empty);
        assertThat(editor.dirtyProperty().get()).isFalse();
        editor.edit("a", sparse(0.1));
        assertThat(editor.dirtyProperty().get()).isTrue();
        editor.markSaved();
        assertThat(editor.dirtyProperty().get()).isFalse();
        editor.undo();
        assertThat(editor.dirtyProperty().get()).isTrue();
    }

    @Test
    void dragStepsAreReportedAsDebouncedAndTheReleaseAsImmediate() {
        List<String> seen = new ArrayList<>();
        editor.reset(empty);
        editor.setOnChange((p, immediate) -> seen.add(p.defaultPrune().sparsity() + (immediate ? " now" : " later")));
        editor.drag("drag", sparse(0.1));
        editor.drag("drag", sparse(0.2));
        editor.endDrag();
        editor.edit("typed", sparse(0.5));
        assertThat(seen).containsExactly("0.1 later", "0.2 later", "0.2 now", "0.5 now");
    }
}
