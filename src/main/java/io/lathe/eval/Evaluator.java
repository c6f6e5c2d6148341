package io.lathe.eval;

import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Evaluates networks on image sets. Call from the engine thread only (networks are not thread-safe). */
public final class Evaluator {
    private Evaluator() {
    }

    /** Evaluates {@code net} (shaped like {@code model}) on {@code images}. */
    public static Evaluation evaluate(ComputationGraph net, LoadedModel model, LabeledImages images, Progress progress) {
        checkShape(model, images);
        long t0 = System.nanoTime();
        int[] pred = Predictor.predict(net, images, Predictor.DEFAULT_BATCH, model.channelsLast(), progress);
        return Evaluation.of(pred, images, (System.nanoTime() - t0) / 1e9);
    }

    /** Refuses data whose image shape or class count does not fit the model, saying what to do. */
    public static void checkShape(LoadedModel model, LabeledImages images) {
        int[] s = model.inputShape();
        if (s[0] != images.channels() || s[1] != images.height() || s[2] != images.width()) {
            throw new IllegalArgumentException("the model expects " + s[0] + "x" + s[1] + "x" + s[2]
                    + " images (channels x height x width) but the data has " + images.channels() + "x"
                    + images.height() + "x" + images.width() + "; open data of the model's input size");
        }
        long outputs = outputCount(model);
        if (outputs > 0 && outputs < images.classes()) {
            throw new IllegalArgumentException("the model has " + outputs + " outputs but the data has "
                    + images.classes() + " classes");
        }
    }

    /** The number of classes the model outputs: the output layer's nOut, else the size of the graph's output type. */
    static long outputCount(LoadedModel model) {
        ComputationGraph g = model.graph();
        if (g.getOutputLayer(0).conf().getLayer() instanceof FeedForwardLayer ff && ff.getNOut() > 0) {
            return ff.getNOut();
        }
        int[] s = model.inputShape();
        InputType in = InputType.convolutional(s[1], s[2], s[0], model.channelsLast() ? CNN2DFormat.NHWC : CNN2DFormat.NCHW);
        InputType out = g.getConfiguration().getLayerActivationTypes(in).get(g.getConfiguration().getNetworkOutputs().get(0));
        return out == null ? -1 : out.arrayElementsPerExample();
    }
}
