package io.lathe.ui;

import io.lathe.compress.Plan;

/**
 * One undoable edit of the plan: what it was called and the plan before and after. Plans are
 * immutable, so undo and redo are exact.
 *
 * @param description what the edit did, shown in the Undo/Redo tooltips
 * @param before      the plan before the edit
 * @param after       the plan after it
 */
public record PlanEdit(String description, Plan before, Plan after) {
}
