package io.lathe.eval;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The single-tensor boundaries of a network: vertices through which everything the rest of the
 * network computes must pass, so that the network after such a vertex can be run from that vertex's
 * output alone (the output of the stem, of each residual block after its Add, of the pooling layer).
 * Found from the graph's structure, not from names. Immutable.
 */
public final class CutPoints {
    private final List<String> order;
    private final Map<String, Integer> index = new HashMap<>();
    private final BitSet[] ancestors;
    private final BitSet cuts = new BitSet();
    private final String input;

    private CutPoints(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("suffix evaluation needs a single-input network");
        }
        input = conf.getNetworkInputs().get(0);
        order = new ArrayList<>();
        for (int i : graph.topologicalSortOrder()) {
            order.add(graph.getVertices()[i].getVertexName());
        }
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        Map<String, List<String>> inputs = conf.getVertexInputs();
        ancestors = new BitSet[order.size()];
        for (int i = 0; i < order.size(); i++) {
            ancestors[i] = new BitSet(order.size());
            for (String in : inputs.getOrDefault(order.get(i), List.of())) {
                int j = index.get(in);
                ancestors[i].set(j);
                ancestors[i].or(ancestors[j]);
            }
        }
        List<String> outputs = conf.getNetworkOutputs();
        for (int i = 0; i < order.size(); i++) {
            if (isCut(i, inputs) && !outputs.contains(order.get(i))) {
                cuts.set(i);
            }
        }
    }

    /** The cut points of a network. */
    public static CutPoints of(ComputationGraph graph) {
        return new CutPoints(graph);
    }

    private boolean isCut(int v, Map<String, List<String>> inputs) {
        for (int w = 0; w < order.size(); w++) {
            if (w == v || ancestors[v].get(w)) {
                continue;
            }
            if (!ancestors[w].get(v)) {
                return false;
            }
            for (String in : inputs.getOrDefault(order.get(w), List.of())) {
                int u = index.get(in);
                if (u != v && ancestors[v].get(u)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The network input's name (itself a cut point: the start of the network). */
    public String input() {
        return input;
    }

    /** Every cut point in execution order, the network input first. */
    public List<String> all() {
        List<String> out = new ArrayList<>();
        for (int i = cuts.nextSetBit(0); i >= 0; i = cuts.nextSetBit(i + 1)) {
            out.add(order.get(i));
        }
        return out;
    }

    /** True if {@code vertex} is a cut point. */
    public boolean isCut(String vertex) {
        Integer i = index.get(vertex);
        return i != null && cuts.get(i);
    }

    /** Position of a vertex in execution order (the network input is 0). */
    public int position(String vertex) {
        Integer i = index.get(vertex);
        if (i == null) {
            throw new IllegalArgumentException("no vertex named '" + vertex + "' in the network");
        }
        return i;
    }

    /** True if {@code a} is computed from {@code b}, directly or indirectly. */
    public boolean dependsOn(String a, String b) {
        return ancestors[position(a)].get(position(b));
    }

    /** The vertices computed before {@code cut} that the network after it no longer needs (all its ancestors). */
    public List<String> prefixOf(String cut) {
        List<String> out = new ArrayList<>();
        BitSet a = ancestors[position(cut)];
        for (int i = a.nextSetBit(0); i >= 0; i = a.nextSetBit(i + 1)) {
            out.add(order.get(i));
        }
        return out;
    }

    /** The latest of {@code candidates} (cut points) that every one of {@code layers} depends on. */
    public String latestBefore(List<String> candidates, Iterable<String> layers) {
        String best = input;
        for (String c : candidates) {
            boolean before = true;
            for (String l : layers) {
                if (l.equals(c) || !dependsOn(l, c)) {
                    before = false;
                    break;
                }
            }
            if (before && position(c) > position(best)) {
                best = c;
            }
        }
        return best;
    }
}
