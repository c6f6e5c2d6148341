package io.lathe.model.keras;

import io.lathe.engine.Engine;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import static org.assertj.core.api.Assertions.assertThat;

/** Channels-last graphs built in code, shaped like DL4J's Keras imports, through {@link CanonicalGraph}. */
class TinyNhwcGraphTest {
    private static final int[] CHW = {3, 4, 4};

    @BeforeAll
    static void engine() {
        Engine.configure();
    }

    /** conv → BN → relu → Flatten over 4×4 → Dense(softmax): Keras's flatten order is H, W, C. */
    private static ComputationGraph flattenOverMap() {
        ComputationGraphConfiguration.GraphBuilder g = start()
                .addLayer("conv", conv(), "in")
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(false).nOut(5).dataFormat(CNN2DFormat.NHWC).build(), "conv")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(4, 4, 5, CNN2DFormat.NHWC)), "relu")
                .addLayer("dense", new DenseLayer.Builder().nIn(80).nOut(3).activation(Activation.SOFTMAX).build(), "flatten")
                .setOutputs("dense");
        return init(g);
    }

    /** conv → average pool over the whole 4×4 map → Flatten → Dense(linear) → Activation(softmax). */
    private static ComputationGraph poolFlattenSoftmax() {
        ComputationGraphConfiguration.GraphBuilder g = start()
                .addLayer("conv", conv(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG, new int[]{4, 4}, new int[]{4, 4})
                        .dataFormat(CNN2DFormat.NHWC).build(), "conv")
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(1, 1, 5, CNN2DFormat.NHWC)), "pool")
                .addLayer("dense", new DenseLayer.Builder().nIn(5).nOut(3).activation(Activation.IDENTITY).build(), "flatten")
                .addLayer("softmax", new ActivationLayer.Builder().activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("softmax");
        return init(g);
    }

    /** zero-pad → conv → max pool 2×2 → Flatten over 2×2 → Dropout → Dense(linear): a logits head. */
    private static ComputationGraph paddedPoolDropoutLogits() {
        ComputationGraphConfiguration.GraphBuilder g = start()
                .addLayer("pad", new ZeroPaddingLayer.Builder(1, 1).dataFormat(CNN2DFormat.NHWC).build(), "in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(5).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build(), "pad")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[]{2, 2},
                        new int[]{2, 2}).dataFormat(CNN2DFormat.NHWC).build(), "conv")
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(2, 2, 5, CNN2DFormat.NHWC)), "pool")
                .addLayer("drop", new DropoutLayer.Builder(0.5).build(), "flatten")
                .addLayer("dense", new DenseLayer.Builder().nIn(20).nOut(3).activation(Activation.IDENTITY).build(), "drop")
                .setOutputs("dense");
        return init(g);
    }

    @Test
    void paddingPoolingDropoutAndALogitsHeadConvertAndAgreeAfterTheAddedSoftmax() throws Exception {
        ComputationGraph nhwc = paddedPoolDropoutLogits();
        CanonicalGraph.Result r = CanonicalGraph.of(nhwc, CHW);
        assertThat(r.softmaxAdded()).isTrue();
        assertThat(((LayerVertex) r.graph().getConfiguration().getVertices().get("pad")).getLayerConf().getLayer())
                .isInstanceOf(ZeroPaddingLayer.class);
        ImportCheck.Difference d = ImportCheck.measure(nhwc, r.graph(), CHW, r.softmaxAdded());
        assertThat(d.agrees()).as("output %s, activations %s", d.output(), d.activations()).isTrue();
    }

    @Test
    void denseRowsBehindAFlattenOverTheMapAreReorderedSoTheOutputsAgree() throws Exception {
        ComputationGraph nhwc = flattenOverMap();
        CanonicalGraph.Result r = CanonicalGraph.of(nhwc, CHW);
        ImportCheck.Difference d = ImportCheck.measure(nhwc, r.graph(), CHW, r.softmaxAdded());
        assertThat(d.agrees()).as("output %s, activations %s", d.output(), d.activations()).isTrue();
        assertThat(r.graph().getLayer("dense").getParam("W")).isNotEqualTo(nhwc.getLayer("dense").getParam("W"));
        assertThat(r.graph().getOutputLayer(0).conf().getLayer()).isInstanceOf(OutputLayer.class);
        assertThat(((OutputLayer) r.graph().getOutputLayer(0).conf().getLayer()).getLossFn()).isInstanceOf(LossMCXENT.class);
    }

    @Test
    void aFlattenHeldAsTheDenseLayersPreprocessorIsReorderedToo() throws Exception {
        ComputationGraph nhwc = init(start()
                .addLayer("conv", conv(), "in")
                .addLayer("dense", new DenseLayer.Builder().nIn(80).nOut(3).activation(Activation.SOFTMAX).build(),
                        new CnnToFeedForwardPreProcessor(4, 4, 5, CNN2DFormat.NHWC), "conv")
                .setOutputs("dense"));
        CanonicalGraph.Result r = CanonicalGraph.of(nhwc, CHW);
        LayerVertex dense = (LayerVertex) r.graph().getConfiguration().getVertices().get("dense");
        assertThat(((CnnToFeedForwardPreProcessor) dense.getPreProcessor()).getFormat()).isEqualTo(CNN2DFormat.NCHW);
        ImportCheck.Difference d = ImportCheck.measure(nhwc, r.graph(), CHW, r.softmaxAdded());
        assertThat(d.agrees()).as("output %s, activations %s", d.output(), d.activations()).isTrue();
    }

    @Test
    void keepingTheKerasRowOrderWouldBeCaughtByTheCheck() throws Exception {
        ComputationGraph nhwc = flattenOverMap();
        CanonicalGraph.Result r = CanonicalGraph.of(nhwc, CHW);
        r.graph().getLayer("dense").getParam("W").assign(nhwc.getLayer("dense").getParam("W"));
        ImportCheck.Difference d = ImportCheck.measure(nhwc, r.graph(), CHW, r.softmaxAdded());
        assertThat(d.agrees()).isFalse();
        assertThat(d.output()).isGreaterThan(ImportCheck.OUTPUT_TOLERANCE);
    }

    @Test
    void wholeMapPoolAndFlattenBecomeAGlobalPoolAndTheSoftmaxJoinsTheOutputLayer() throws Exception {
        ComputationGraph nhwc = poolFlattenSoftmax();
        CanonicalGraph.Result r = CanonicalGraph.of(nhwc, CHW);
        var vertices = r.graph().getConfiguration().getVertices();
        assertThat(vertices).doesNotContainKeys("flatten", "softmax");
        assertThat(((LayerVertex) vertices.get("pool")).getLayerConf().getLayer()).isInstanceOf(GlobalPoolingLayer.class);
        assertThat(r.graph().getConfiguration().getNetworkOutputs()).containsExactly("dense");
        assertThat(r.graph().getOutputLayer(0).conf().getLayer()).isInstanceOf(OutputLayer.class);
        ImportCheck.Difference d = ImportCheck.measure(nhwc, r.graph(), CHW, r.softmaxAdded());
        assertThat(d.agrees()).as("output %s, activations %s", d.output(), d.activations()).isTrue();
    }

    private static ComputationGraphConfiguration.GraphBuilder start() {
        return new NeuralNetConfiguration.Builder().seed(3).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(4, 4, 3, CNN2DFormat.NHWC));
    }

    private static ConvolutionLayer conv() {
        return new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(5).dataFormat(CNN2DFormat.NHWC)
                .activation(Activation.IDENTITY).build();
    }

    private static ComputationGraph init(ComputationGraphConfiguration.GraphBuilder g) {
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        net.params().assign(Nd4j.rand(42L, net.params().shape()).subi(0.5));
        if (net.getConfiguration().getVertices().containsKey("bn")) {
            net.getLayer("bn").getParam("var").assign(Nd4j.rand(43L, new long[]{1, 5}).addi(0.5));
        }
        return net;
    }
}
