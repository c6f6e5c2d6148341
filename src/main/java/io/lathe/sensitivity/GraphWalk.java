package io.lathe.sensitivity;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import io.lathe.eval.Predictor;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a single-input, single-output {@link ComputationGraph} vertex by vertex in topological order,
 * so a part of it can be run on its own: the prefix up to a cut (keeping only the activations that
 * cross it) or the suffix from a cut to the output. It calls each vertex's own forward code, the
 * same code {@code outputSingle} runs, so a suffix run on cut activations gives the same numbers as a
 * whole-network run. Positions index the non-input vertices in topological order; {@link #INPUT}
 * stands for the network input. Not thread-safe (like the graph it drives).
 */
final class GraphWalk {
    /** Position of the network input. */
    static final int INPUT = -1;

    private final ComputationGraph graph;
    private final List<GraphVertex> order = new ArrayList<>();
    private final Map<String, Integer> position = new HashMap<>();
    private final int[][] inputsOf;
    private final int[] lastUse;
    private final int inputLastUse;
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.05)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.OVER_TIME)
            .cyclesBeforeInitialization(2)
            .policyMirroring(MirroringPolicy.FULL)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .build();
    private static final String ADVANCE_WS = "LATHE_SWEEP_ADVANCE";
    private static final String FINISH_WS = "LATHE_SWEEP_FINISH";
    private final LayerWorkspaceMgr advanceMgr = LayerWorkspaceMgr.builder().defaultWorkspace(ADVANCE_WS, WORKSPACE)
            .build();
    private final LayerWorkspaceMgr finishMgr = LayerWorkspaceMgr.builder().defaultWorkspace(FINISH_WS, WORKSPACE)
            .build();

    GraphWalk(ComputationGraph graph) {
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
            throw new IllegalArgumentException("the sweep needs a network with one input and one output, this one has "
                    + graph.getNumInputArrays() + " inputs and " + graph.getNumOutputArrays() + " outputs");
        }
        this.graph = graph;
        GraphVertex[] vertices = graph.getVertices();
        Map<Integer, Integer> posOfIndex = new HashMap<>();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = vertices[idx];
            if (v.isInputVertex()) {
                posOfIndex.put(idx, INPUT);
                continue;
            }
            posOfIndex.put(idx, order.size());
            position.put(v.getVertexName(), order.size());
            order.add(v);
        }
        inputsOf = new int[order.size()][];
        lastUse = new int[order.size()];
        int inputUse = -1;
        for (int p = 0; p < order.size(); p++) {
            VertexIndices[] in = order.get(p).getInputVertices();
            inputsOf[p] = new int[in.length];
            for (int k = 0; k < in.length; k++) {
                int src = posOfIndex.get(in[k].getVertexIndex());
                inputsOf[p][in[k].getVertexEdgeNumber()] = src;
                if (src == INPUT) {
                    inputUse = p;
                } else {
                    lastUse[src] = Math.max(lastUse[src], p);
                }
            }
        }
        lastUse[order.size() - 1] = order.size();
        inputLastUse = inputUse;
    }

    /** Number of non-input vertices. */
    int size() {
        return order.size();
    }

    /** Position of a vertex by name. */
    int positionOf(String vertex) {
        Integer p = position.get(vertex);
        if (p == null) {
            throw new IllegalArgumentException("no vertex named '" + vertex + "' in the network");
        }
        return p;
    }

    /** True if the output of {@code producer} is still needed by a vertex at or after {@code cut}. */
    boolean crosses(int producer, int cut) {
        if (producer == INPUT) {
            return inputLastUse >= cut;
        }
        return producer < cut && lastUse[producer] >= cut;
    }

    /** The activations at cut 0: just the network input. */
    Map<Integer, INDArray> start(INDArray features) {
        Map<Integer, INDArray> m = new HashMap<>();
        m.put(INPUT, features);
        return m;
    }

    /**
     * Runs vertices {@code from..to-1} on the activations crossing cut {@code from} and returns those
     * crossing cut {@code to}. The given map and its arrays are not changed.
     */
    Map<Integer, INDArray> advance(Map<Integer, INDArray> atFrom, int from, int to) {
        Map<Integer, INDArray> out = new HashMap<>();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, ADVANCE_WS)) {
            Map<Integer, INDArray> acts = new HashMap<>(atFrom);
            for (int p = from; p < to; p++) {
                acts.put(p, forward(p, acts, advanceMgr));
                dropUnused(acts, p + 1);
            }
            acts.forEach((k, v) -> {
                if (crosses(k, to)) {
                    out.put(k, v.isAttached() ? v.detach() : v);
                }
            });
        }
        return out;
    }

    /**
     * Runs vertices {@code from..end} on the activations crossing cut {@code from} and writes the
     * predicted class of each row (argmax of the network output) into {@code out} from {@code offset}.
     */
    void predict(Map<Integer, INDArray> atFrom, int from, int[] out, int offset) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, FINISH_WS)) {
            Map<Integer, INDArray> acts = new HashMap<>(atFrom);
            INDArray last = null;
            for (int p = from; p < order.size(); p++) {
                last = forward(p, acts, finishMgr);
                acts.put(p, last);
                dropUnused(acts, p + 1);
            }
            Predictor.argmaxRows(last, out, offset);
        }
    }

    private INDArray forward(int p, Map<Integer, INDArray> acts, LayerWorkspaceMgr workspaces) {
        GraphVertex v = order.get(p);
        int[] in = inputsOf[p];
        for (int k = 0; k < in.length; k++) {
            INDArray a = acts.get(in[k]);
            if (a == null) {
                throw new IllegalStateException("activation of " + (in[k] == INPUT ? "the input" : order.get(in[k])
                        .getVertexName()) + " is missing for " + v.getVertexName());
            }
            v.setInput(k, a, workspaces);
        }
        INDArray out = v.doForward(false, workspaces);
        v.clear();
        return out;
    }

    private void dropUnused(Map<Integer, INDArray> acts, int cut) {
        acts.keySet().removeIf(k -> !crosses(k, cut));
    }

    /** The graph this walk drives. */
    ComputationGraph graph() {
        return graph;
    }
}
