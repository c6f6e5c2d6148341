package io.lathe.cli;

import io.lathe.compress.LayerSettings;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.files.AtomicFiles;
import io.lathe.model.LoadedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

/** Writes the plan a per-layer measuring command found ({@code --write-plan}): one setting per layer, bound to the model. */
final class LayerPlanFile {
    private LayerPlanFile() {
    }

    /** Writes (atomically) a plan for {@code model} giving each layer in {@code values} the setting {@code set} makes. */
    static <T> void write(Path file, LoadedModel model, Map<String, T> values,
                          BiFunction<LayerSettings, T, LayerSettings> set) throws IOException {
        Plan plan = Plan.empty(model.name(), model.sha256());
        for (Map.Entry<String, T> e : values.entrySet()) {
            plan = plan.with(e.getKey(), set.apply(plan.settingsOf(e.getKey()), e.getValue()));
        }
        AtomicFiles.writeString(file, PlanJson.write(plan));
    }
}
