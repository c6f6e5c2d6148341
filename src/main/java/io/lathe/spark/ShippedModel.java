package io.lathe.spark;

import io.lathe.data.Preprocessing;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A loaded model as bytes for executors: its network as a DL4J zip (whatever file it was read from,
 * ONNX and Keras included, it travels as the graph Lathe built) and everything else {@link LoadedModel}
 * says about it. Parameters are written and read back bit for bit. Immutable.
 */
record ShippedModel(String name, String origin, String format, String sha256, byte[] zip, int[] inputShape,
                    boolean channelsLast, boolean trained, List<String> notes, String preprocessingJson)
        implements Serializable {

    static ShippedModel of(LoadedModel m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(m.graph(), out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not pack the model for Spark: " + e.getMessage(), e);
        }
        return new ShippedModel(m.name(), m.origin(), m.format(), m.sha256(), out.toByteArray(), m.inputShape(),
                m.channelsLast(), m.trained(), List.copyOf(m.notes()), m.preprocessing().toJson());
    }

    /** The model as the driver had it (a fresh network each call). */
    LoadedModel restore() {
        try {
            ComputationGraph g = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
            return new LoadedModel(name, origin, format, sha256, g, inputShape.clone(), channelsLast, trained, notes,
                    Preprocessing.fromJson(preprocessingJson));
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the model on this executor: " + e.getMessage(), e);
        }
    }
}
