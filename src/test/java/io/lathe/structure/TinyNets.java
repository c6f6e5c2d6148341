package io.lathe.structure;

import io.lathe.engine.Engine;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.model.ResNetFactory;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Tiny residual networks built in code for fast structure tests. */
final class TinyNets {
    private TinyNets() {
    }

    /** A ResNet with one block per stage, widths 8/16/16, 12×12×1 input, 3 classes, non-trivial BN statistics. */
    static LoadedModel resnet(long seed) throws Exception {
        Engine.configure();
        Nd4j.getRandom().setSeed(seed);
        ComputationGraph g = ResNetFactory.build(1, new int[]{8, 16, 16}, 12, 12, 1, 3, seed, null, 0);
        for (Layer l : g.getLayers()) {
            INDArray mean = l.paramTable().get("mean");
            if (mean != null) {
                mean.assign(Nd4j.rand(mean.shape()).subi(0.5).muli(0.2));
                INDArray var = l.paramTable().get("var");
                if (var != null) {
                    var.assign(Nd4j.rand(var.shape()).addi(0.5));
                } else {
                    l.paramTable().get("log10stdev").assign(Nd4j.rand(mean.shape()).subi(0.5).muli(0.3));
                }
                l.paramTable().get("gamma").assign(Nd4j.rand(mean.shape()).addi(0.5));
                l.paramTable().get("beta").assign(Nd4j.rand(mean.shape()).subi(0.5).muli(0.2));
            }
        }
        return ModelLoader.fromGraph("tiny", g, new int[]{1, 12, 12});
    }

    /** Random images for the tiny network. */
    static INDArray images(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(new long[]{n, 1, 12, 12});
    }
}
