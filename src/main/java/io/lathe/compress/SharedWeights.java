package io.lathe.compress;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weight-sharing state of a network during fine-tuning (Deep Compression's trained quantization):
 * one codebook per shared layer. After every optimizer step {@link #refit(ComputationGraph)} moves each
 * centroid to the mean of its members' updated weights and writes the shared values back, so the
 * network keeps at most {@code 2^bits} distinct weights per layer while the centroids learn. Indices
 * never change. Not thread-safe; use on the engine thread with the network it was made for.
 */
public final class SharedWeights {
    private final Map<String, WeightSharing.Codebook> codebooks;

    private SharedWeights(Map<String, WeightSharing.Codebook> codebooks) {
        this.codebooks = codebooks;
    }

    /** The codebooks of a compressed model's shared layers. */
    public static SharedWeights of(CompressedModel model) {
        Map<String, WeightSharing.Codebook> m = new LinkedHashMap<>();
        model.layers().forEach((name, l) -> {
            if (l.codebook() != null) {
                m.put(name, l.codebook());
            }
        });
        return new SharedWeights(m);
    }

    /** Sharing state for the given codebooks, by layer (copied). */
    public static SharedWeights of(Map<String, WeightSharing.Codebook> codebooks) {
        return new SharedWeights(new LinkedHashMap<>(codebooks));
    }

    /** The current codebooks, by layer. */
    public Map<String, WeightSharing.Codebook> codebooks() {
        return Collections.unmodifiableMap(codebooks);
    }

    /** True if no layer is shared. */
    public boolean isEmpty() {
        return codebooks.isEmpty();
    }

    /** Re-centres every codebook on the network's current weights and writes the shared values back. */
    public void refit(ComputationGraph net) {
        codebooks.replaceAll((name, cb) -> {
            INDArray w = net.getLayer(name).getParam("W");
            WeightSharing.Codebook next = cb.refit(w.dup('c').data().asFloat());
            w.assign(Nd4j.create(next.decode(), w.shape(), 'c'));
            return next;
        });
    }

    /** Writes the shared values into {@code net} without changing the codebooks. */
    public void write(ComputationGraph net) {
        codebooks.forEach((name, cb) -> {
            INDArray w = net.getLayer(name).getParam("W");
            w.assign(Nd4j.create(cb.decode(), w.shape(), 'c'));
        });
    }
}
