package io.lathe.export;

/**
 * One parameter tensor of a packed model.
 *
 * @param vertex layer (vertex) name
 * @param key    parameter key within the layer ("W", "b", "gamma", …)
 * @param shape  DL4J shape
 * @param values values in DL4J ('c') order
 * @param coding how the weights were compressed (null: stored as fp32)
 */
public record PackedTensor(String vertex, String key, long[] shape, float[] values, WeightCoding coding) {
}
