package io.lathe.ui;

import io.lathe.compress.Plan;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The plan being edited: every change is a {@link PlanEdit} on an undo stack, a slider drag is one
 * edit however many steps it takes, and the plan knows whether it differs from the last saved one.
 * FX thread only.
 */
public final class PlanEditor {
    private final ReadOnlyObjectWrapper<Plan> plan = new ReadOnlyObjectWrapper<>(this, "plan");
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper(this, "undoText", "");
    private final ReadOnlyStringWrapper redoText = new ReadOnlyStringWrapper(this, "redoText", "");
    private final Deque<PlanEdit> undo = new ArrayDeque<>();
    private final Deque<PlanEdit> redo = new ArrayDeque<>();
    private Plan saved;
    private ChangeListener onChange = (p, immediate) -> { };
    private Plan dragBase;
    private String dragDescription;
    private boolean dragPushed;

    /** Told of every plan change; {@code immediate} is false for the steps of a drag. */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(Plan plan, boolean immediate);
    }

    /** Sets the one listener told of every change (the preview). */
    public void setOnChange(ChangeListener listener) {
        onChange = listener;
    }

    /** True between the first step of a drag and {@link #endDrag()}. */
    public boolean isDragging() {
        return dragBase != null;
    }

    /** Starts editing {@code start}: clears the history and treats it as saved. */
    public void reset(Plan start) {
        undo.clear();
        redo.clear();
        dragBase = null;
        saved = start;
        plan.set(start);
        refresh();
    }

    /** Starts from a remembered plan that was never saved to a file (it counts as unsaved). */
    public void restore(Plan base, Plan remembered) {
        reset(base);
        if (!remembered.equals(base)) {
            edit("Restore the last session's plan", remembered);
        }
    }

    /** Applies a change as one undoable edit (does nothing if the plan is unchanged). */
    public void edit(String description, Plan next) {
        dragBase = null;
        push(description, next);
    }

    /** Applies one step of a drag: consecutive steps with the same description merge into one edit. */
    public void drag(String description, Plan next) {
        Objects.requireNonNull(next);
        if (next.equals(plan.get())) {
            return;
        }
        if (dragBase == null || !description.equals(dragDescription)) {
            dragBase = plan.get();
            dragDescription = description;
            dragPushed = false;
        }
        if (dragPushed) {
            undo.pop();
        }
        dragPushed = !next.equals(dragBase);
        if (dragPushed) {
            undo.push(new PlanEdit(description, dragBase, next));
        }
        redo.clear();
        plan.set(next);
        refresh();
        onChange.changed(next, false);
    }

    /** Ends a drag: the next step starts a new edit. */
    public void endDrag() {
        boolean changed = dragBase != null && dragPushed;
        dragBase = null;
        if (changed) {
            onChange.changed(plan.get(), true);
        }
    }

    /** Undoes the last edit. */
    public void undo() {
        if (undo.isEmpty()) {
            return;
        }
        dragBase = null;
        PlanEdit e = undo.pop();
        redo.push(e);
        plan.set(e.before());
        refresh();
        onChange.changed(e.before(), true);
    }

    /** Redoes the last undone edit. */
    public void redo() {
        if (redo.isEmpty()) {
            return;
        }
        dragBase = null;
        PlanEdit e = redo.pop();
        undo.push(e);
        plan.set(e.after());
        refresh();
        onChange.changed(e.after(), true);
    }

    /** Records the current plan as saved (the title loses its unsaved mark). */
    public void markSaved() {
        saved = plan.get();
        refresh();
    }

    private void push(String description, Plan next) {
        Objects.requireNonNull(next);
        Plan current = plan.get();
        if (next.equals(current)) {
            return;
        }
        undo.push(new PlanEdit(description, current, next));
        redo.clear();
        plan.set(next);
        refresh();
        onChange.changed(next, true);
    }

    private void refresh() {
        canUndo.set(!undo.isEmpty());
        canRedo.set(!redo.isEmpty());
        undoText.set(undo.isEmpty() ? "" : undo.peek().description());
        redoText.set(redo.isEmpty() ? "" : redo.peek().description());
        dirty.set(plan.get() != null && !plan.get().equals(saved));
    }

    public Plan plan() {
        return plan.get();
    }

    public ReadOnlyObjectProperty<Plan> planProperty() {
        return plan.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty undoTextProperty() {
        return undoText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoTextProperty() {
        return redoText.getReadOnlyProperty();
    }
}
