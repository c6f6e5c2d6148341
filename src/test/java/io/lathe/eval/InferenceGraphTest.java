package io.lathe.eval;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.QuantSetting;
import io.lathe.data.AppHome;
import io.lathe.data.Batches;
import io.lathe.data.FashionMnist;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.train.FakeQuantizer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InferenceGraphTest {
    private static final double TOLERANCE = 1e-4;
    /** Two blocks per stage, 12×12 grey images, ten classes, random BatchNorm statistics, sharpened outputs. */
    private static final TinyResNet NET = TinyResNet.of(2, 4, 8, 8).withInput(1, 12).withClasses(10)
            .withNorms(TinyResNet.Norms.RANDOM).withSharpenedOutputs();

    @Test
    void foldedChannelsLastGraphGivesTheSameOutputsAndPredictionsOnATinyResNet() throws Exception {
        LoadedModel model = NET.withSeed(11).model("tiny");
        LabeledImages images = TinyImages.waves(300, 12, 10, 4);
        InferenceGraph g = InferenceGraph.of(model.graph());

        INDArray x = Batches.features(images, 0, images.size());
        INDArray expected = model.graph().outputSingle(false, x);
        INDArray actual = g.run(g.input(x))[0];

        assertThat(maxAbsDiff(expected, actual)).isLessThanOrEqualTo(TOLERANCE);
        assertThat(argmax(actual)).containsExactly(argmax(expected));
    }

    @Test
    void everyConvolutionBatchNormPairIsFoldedAndActivationsRunChannelsLast() throws Exception {
        LoadedModel model = NET.withSeed(12).model("tiny");
        long batchNorms = Arrays.stream(model.graph().getLayers())
                .filter(l -> l.conf().getLayer() instanceof BatchNormalization).count();
        InferenceGraph g = InferenceGraph.of(model.graph());

        assertThat(g.folded()).hasSize((int) batchNorms);
        assertThat(Arrays.stream(g.network().getLayers()).filter(l -> l.conf().getLayer() instanceof BatchNormalization))
                .isEmpty();
        assertThat(g.channelsLast()).isTrue();
        assertThat(g.vertexFor("stem.bn")).isEqualTo("stem.conv");
    }

    @Test
    void aFakeQuantizedLayerRunsWithTheWeightsItsQuantizerGivesInInference() throws Exception {
        LoadedModel model = NET.withSeed(13).model("tiny");
        ComputationGraph source = model.copyGraph();
        for (String conv : new String[]{"stem.conv", "stage2.block0.conv1"}) {
            ((ConvolutionLayer) source.getLayer(conv).conf().getLayer())
                    .setWeightNoise(new FakeQuantizer(QuantSetting.bits(3)));
        }
        LabeledImages images = TinyImages.waves(200, 12, 10, 5);
        INDArray x = Batches.features(images, 0, images.size());
        InferenceGraph g = InferenceGraph.of(source);

        INDArray expected = source.outputSingle(false, x);
        assertThat(maxAbsDiff(expected, model.graph().outputSingle(false, x))).as("the quantizer changes the outputs")
                .isGreaterThan(10 * TOLERANCE);
        assertThat(maxAbsDiff(expected, g.run(g.input(x))[0])).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void aGraphWithPoolingWindowsStaysChannelsFirstAndStillFolds() throws Exception {
        Engine.configure();
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(false).build(), "conv")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
                .addLayer("max", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "relu")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "max")
                .addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("fc").build());
        net.init();
        net.getLayer("bn").getParam("mean").assign(0.3);
        net.getLayer("bn").getParam("var").assign(2.0);
        net.getLayer("bn").getParam("gamma").assign(1.5);
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(new int[]{16, 1, 8, 8}, 1L);
        InferenceGraph g = InferenceGraph.of(net);

        assertThat(g.channelsLast()).isFalse();
        assertThat(g.folded()).containsEntry("conv", "bn");
        assertThat(maxAbsDiff(net.outputSingle(false, x), g.run(g.input(x))[0])).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void onTheSampleResNet20EveryValidationPredictionIsUnchanged() throws Exception {
        assumeTrue(Files.exists(AppHome.sampleModel("resnet20-fashion.zip")), "sample model not present");
        LoadedModel m = ModelLoader.load(AppHome.sampleModel("resnet20-fashion.zip"));
        LabeledImages validation = FashionMnist.load().validation();
        InferenceGraph g = InferenceGraph.of(m.graph());
        int[] unfolded = new int[validation.size()];
        int[] folded = new int[validation.size()];
        double worst = 0;
        for (int from = 0; from < validation.size(); from += Predictor.DEFAULT_BATCH) {
            int to = Math.min(validation.size(), from + Predictor.DEFAULT_BATCH);
            INDArray x = Batches.features(validation, from, to);
            INDArray a = m.graph().outputSingle(false, x);
            INDArray b = g.run(g.input(x))[0];
            worst = Math.max(worst, maxAbsDiff(a, b));
            Predictor.argmaxRows(a, unfolded, from);
            Predictor.argmaxRows(b, folded, from);
        }

        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
        assertThat(folded).containsExactly(unfolded);
        assertThat(Predictor.predict(m.graph(), validation, Predictor.DEFAULT_BATCH, Progress.none()))
                .containsExactly(folded);
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    private static int[] argmax(INDArray scores) {
        int[] out = new int[(int) scores.rows()];
        Predictor.argmaxRows(scores, out, 0);
        return out;
    }
}
