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
                int classes = (int) teacher.graph().getOutputLayer(0).getParam("W").size(1);
                return ModelLoader.fromGraph(a.key() + "-student", ResNetFactory.build(a, chw[1], chw[2], chw[0], classes,
                        seed, new Adam(1e-3), 5e-5), chw);
            }
        }
        LoadedModel m = ModelLoader.load(spec);
        if (!java.util.Arrays.equals(m.inputShape(), teacher.inputShape())) {
            throw new IllegalArgumentException("the student takes " + java.util.Arrays.toString(m.inputShape())
                    + " inputs but the teacher takes " + java.util.Arrays.toString(teacher.inputShape()));
        }
        return m;
    }
}
