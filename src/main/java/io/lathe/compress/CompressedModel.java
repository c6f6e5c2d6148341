package io.lathe.compress;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Map;

/**
 * A plan applied to a copy of a network.
 *
 * @param plan   the plan applied
 * @param graph  the compressed copy (the original is untouched)
 * @param layers each prunable layer's compression, by name
 * @param stats  size and work figures
 */
public record CompressedModel(Plan plan, ComputationGraph graph, Map<String, CompressedLayer> layers,
                              ModelStats stats) {
}
