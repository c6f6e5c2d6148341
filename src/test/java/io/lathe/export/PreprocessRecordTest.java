package io.lathe.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.TinyResNet;
import io.lathe.data.PixelMean;
import io.lathe.data.Preprocessing;
import io.lathe.model.LoadedModel;
import onnx.Onnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PreprocessRecordTest {
    /** One block per stage, two stages, 12×12 grey images, wide BatchNorm statistics. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8).withInput(1, 12).withNorms(TinyResNet.Norms.WIDE);

    private static LoadedModel model;

    @BeforeAll
    static void build() throws Exception {
        model = NET.withSeed(3).model("tiny");
    }

    private static PreprocessRecord pixelMeanRecord() {
        float[] mean = new float[3 * 4 * 4];
        Arrays.fill(mean, 127.5f);
        return new PreprocessRecord(Preprocessing.preset("pixel-mean"), new PixelMean("ab12", 3, 4, 4, mean));
    }

    @Test
    void onnxMetadataHoldsThePreprocessingAndTheMeanImage() throws Exception {
        byte[] onnx = OnnxExporter.fp32(model.graph(), NET.inputShape(), "test");
        byte[] tagged = pixelMeanRecord().addTo(onnx);
        Map<String, String> props = new HashMap<>();
        for (Onnx.StringStringEntryProto e : Onnx.ModelProto.parseFrom(tagged).getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        assertThat(Preprocessing.fromJson(props.get(PreprocessRecord.ONNX_KEY)))
                .isEqualTo(Preprocessing.preset("pixel-mean"));
        JsonNode mean = new ObjectMapper().readTree(props.get(PreprocessRecord.ONNX_MEAN_KEY));
        assertThat(mean.get("data").asText()).isEqualTo("ab12");
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(mean.get("float32le").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.remaining()).isEqualTo(4 * 48);
        assertThat(b.getFloat()).isEqualTo(0.5f);
        assertThat(Onnx.ModelProto.parseFrom(tagged).getGraph()).isEqualTo(Onnx.ModelProto.parseFrom(onnx).getGraph());
    }

    @Test
    void packedHeaderCarriesThePreprocessing() throws Exception {
        String json = pixelMeanRecord().json();
        PackedFile.Written w = Packer.pack(model.graph(), Map.of(), false, model.name(), model.sha256(),
                model.sha256(), json);
        PackedFile.Read r = PackedFile.read(w.bytes());
        assertThat(r.header().version()).isEqualTo(3);
        assertThat(r.header().preprocess()).isEqualTo(json);
        JsonNode node = new ObjectMapper().readTree(r.header().preprocess());
        assertThat(node.get("preprocess").get("pixelMean").asBoolean()).isTrue();
    }

    @Test
    void version2PackedFilesAreStillRead() throws Exception {
        PackedFile.Written w = Packer.pack(model.graph(), Map.of(), false, model.name(), model.sha256(),
                model.sha256(), null);
        byte[] v3 = w.bytes();
        int nameAt = PackedFile.MAGIC.length + 4 + 3 * 32 + 4 + 8;
        int nameLen = ((v3[nameAt] & 0xff) << 8) | (v3[nameAt + 1] & 0xff);
        int prepAt = nameAt + 2 + nameLen;
        ByteArrayOutputStream v2 = new ByteArrayOutputStream();
        v2.write(v3, 0, prepAt);
        v2.write(v3, prepAt + 4, v3.length - 32 - (prepAt + 4));
        byte[] body = v2.toByteArray();
        body[PackedFile.MAGIC.length] = 0;
        body[PackedFile.MAGIC.length + 1] = 2;
        v2.reset();
        v2.write(body);
        v2.write(io.lathe.data.Fingerprints.sha256().digest(body));
        PackedFile.Read old = PackedFile.read(v2.toByteArray());
        assertThat(old.header().version()).isEqualTo(2);
        assertThat(old.header().preprocess()).isNull();
        List<PackedTensor> now = PackedFile.read(v3).tensors();
        assertThat(old.tensors()).hasSameSizeAs(now);
        assertThat(old.tensors().get(0).values()).containsExactly(now.get(0).values());
    }
}
