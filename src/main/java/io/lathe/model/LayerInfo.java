package io.lathe.model;

import java.util.List;

/**
 * Facts about one vertex of the network, computed at the model's input size.
 *
 * @param name       DL4J vertex name
 * @param kind       what it is
 * @param typeName   the DL4J class name (e.g. ConvolutionLayer)
 * @param kernel     kernel height and width (0, 0 if none)
 * @param stride     stride height and width (0, 0 if none)
 * @param inChannels input channels or features
 * @param outChannels output channels or features
 * @param outHeight  output height (1 for dense)
 * @param outWidth   output width (1 for dense)
 * @param params     all parameters (weights, biases, BN statistics)
 * @param weights    parameters of the "W" tensor (0 if none)
 * @param macs       multiply-accumulates for one image
 * @param prunable   true if Lathe prunes/quantizes its weights
 * @param inputs     names of the vertices feeding it
 */
public record LayerInfo(String name, LayerKind kind, String typeName, int[] kernel, int[] stride, long inChannels,
                        long outChannels, long outHeight, long outWidth, long params, long weights, long macs,
                        boolean prunable, List<String> inputs) {

    /** Shape text such as "3×3 16→32 /2" for the tree. */
    public String shapeText() {
        return switch (kind) {
            case CONV -> kernel[0] + "×" + kernel[1] + " " + inChannels + "→" + outChannels
                    + (stride[0] > 1 ? " /" + stride[0] : "") + " @" + outHeight + "×" + outWidth;
            case DENSE, OUTPUT -> inChannels + "→" + outChannels;
            default -> outChannels > 0 ? outChannels + " ch" : "";
        };
    }
}
