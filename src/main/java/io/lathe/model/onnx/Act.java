package io.lathe.model.onnx;

/**
 * An activation tensor of the ONNX graph as the DL4J graph produces it.
 *
 * @param vertex the DL4J vertex whose output it is
 * @param shape  the ONNX shape of one example: {@code [C, H, W]} for feature maps, {@code [K]} when flat
 * @param ff     true if DL4J holds it as a 2-D {@code [batch, features]} array (after global pooling
 *               or a dense layer); false for 4-D NCHW arrays
 */
record Act(String vertex, long[] shape, boolean ff) {
    /** True for an NCHW feature map DL4J holds as 4-D. */
    boolean isMap() {
        return shape.length == 3 && !ff;
    }

    /** Elements per example. */
    long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
