package io.lathe.train;

import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoadException;
import io.lathe.model.ModelLoader;
import io.lathe.model.ResNetFactory;
import org.nd4j.linalg.learning.config.Adam;

/** Creates the student network of a distillation into a different architecture. */
public final class Students {
    private Students() {
    }

    /**
     * "resnet8" or "resnet20" (fresh weights, shaped for the teacher's input and classes) or the path
     * of a model file.
     */
    public static LoadedModel load(String spec, LoadedModel teacher, long seed) throws ModelLoadException {
        for (ResNetFactory.Arch a : ResNetFactory.Arch.values()) {
            if (a.key().equalsIgnoreCase(spec)) {
                int[] chw = teacher.inputShape();
                int classes = classes(teacher);
                return ModelLoader.fromGraph(a.key() + "-student", ResNetFactory.build(a, chw[1], chw[2], chw[0], classes,
                        seed, new Adam(1e-3), 5e-5), chw);
            }
        }
        LoadedModel m = ModelLoader.load(spec);
        requireCompatible(m, teacher, "student", "teacher");
        return m;
    }

    /** Number of classes a model's (first) output layer predicts. */
    public static int classes(LoadedModel m) {
        return (int) m.graph().getOutputLayer(0).getParam("W").size(1);
    }

    /**
     * Checks that {@code other} takes the same inputs and predicts as many classes as {@code reference};
     * the message names both and says what to pick instead.
     */
    static void requireCompatible(LoadedModel other, LoadedModel reference, String otherRole, String referenceRole) {
        if (!java.util.Arrays.equals(other.inputShape(), reference.inputShape())) {
            throw new IllegalArgumentException("the " + otherRole + " (" + other.name() + ") takes "
                    + shape(other.inputShape()) + " inputs but the " + referenceRole + " (" + reference.name()
                    + ") takes " + shape(reference.inputShape()) + "; pick a model made for the same images");
        }
        if (classes(other) != classes(reference)) {
            throw new IllegalArgumentException("the " + otherRole + " (" + other.name() + ") predicts " + classes(other)
                    + " classes but the " + referenceRole + " (" + reference.name() + ") predicts "
                    + classes(reference) + "; pick a model trained for the same classes");
        }
    }

    private static String shape(int[] chw) {
        return chw[0] + "×" + chw[1] + "×" + chw[2];
    }
}
