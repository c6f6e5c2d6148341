package io.lathe.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lathe.data.DataSplits;
import io.lathe.data.PixelMean;
import io.lathe.data.Preprocessing;
import onnx.Onnx;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record of a model's input preprocessing that goes into every exported artifact: the
 * {@link Preprocessing} JSON, and with {@code pixelMean} the mean image it subtracts (a model cannot be
 * used without it). In ONNX files it is the metadata entries {@value #ONNX_KEY} (the preprocessing JSON)
 * and {@value #ONNX_MEAN_KEY} (the mean image, {@link PixelMean#toNode}); in packed files and reports
 * the combined object {@code {"preprocess": …, "pixelMeanImage": …}}.
 *
 * @param preprocessing what was applied to pixels 0-255
 * @param pixelMean     the training split's mean image, or null when not used
 */
public record PreprocessRecord(Preprocessing preprocessing, PixelMean pixelMean) {
    public static final String ONNX_KEY = "lathe.preprocess";
    public static final String ONNX_MEAN_KEY = "lathe.pixelMean";

    /** The preprocessing the data was prepared with. */
    public static PreprocessRecord of(DataSplits data) {
        return new PreprocessRecord(data.preprocessing(), data.pixelMean());
    }

    /** The combined JSON object. */
    public String json() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.set("preprocess", preprocessing.toNode());
        if (pixelMean != null) {
            o.set("pixelMeanImage", pixelMean.toNode(preprocessing.scale()));
        }
        return o.toString();
    }

    /** The ONNX metadata entries. */
    public Map<String, String> onnxMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ONNX_KEY, preprocessing.toJson());
        if (pixelMean != null) {
            m.put(ONNX_MEAN_KEY, pixelMean.toJson(preprocessing.scale()));
        }
        return m;
    }

    /** {@code onnx} (a serialised ModelProto) with this record added to its {@code metadata_props}. */
    public byte[] addTo(byte[] onnx) {
        try {
            Onnx.ModelProto.Builder b = Onnx.ModelProto.parseFrom(onnx).toBuilder();
            onnxMetadata().forEach((k, v) -> b.addMetadataProps(
                    Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
            return b.build().toByteArray();
        } catch (org.nd4j.shade.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }
}
