package io.lathe.model.onnx;

import onnx.Onnx;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LayerNamesTest {
    @ParameterizedTest
    @CsvSource({
            "Conv, /layer1/layer1.0/conv1/Conv, , layer1.0.conv1",
            "Conv, /layer1/layer1.0/downsample/downsample.0/Conv, , layer1.0.downsample.0",
            "Gemm, /fc/Gemm, , fc",
            "Relu, /layer2/layer2.1/relu_1/Relu, , layer2.1.relu_1",
            "Conv, Conv_0, layer1.0.conv1.weight, layer1.0.conv1",
            "Conv, /conv1/Conv, onnx::Conv_193, conv1",
            "BatchNormalization, BatchNormalization_1, bn1.weight, bn1",
            "Gemm, Gemm_77, 209, Gemm_77",
    })
    void layerNamesComeFromWeightsElseFromTheNode(String op, String node, String weight, String expected) {
        Onnx.NodeProto n = Onnx.NodeProto.newBuilder().setOpType(op).setName(node).build();
        assertThat(LayerNames.weightName(n, 3, weight)).isEqualTo(expected);
    }
}
