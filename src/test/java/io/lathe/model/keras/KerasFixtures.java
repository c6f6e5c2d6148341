package io.lathe.model.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.bytedeco.hdf5.global.hdf5.*;

/**
 * Keras-ish test files made without Python: the two halves of a full tf.keras {@code .h5} (what
 * {@code model.to_json()} and {@code model.save_weights()} would have written), HDF5 files with chosen
 * attributes, and a zip shaped like a Keras 3 {@code .keras} archive.
 */
final class KerasFixtures {
    /** A shared public model (tests skip when it is missing). */
    static final Path RESNET20 = Path.of("../shared/models/bhartiansh_resnet20_cifar10_baseline.h5");

    private KerasFixtures() {
    }

    /**
     * Writes {@code json} as model.to_json() does: the model_config attribute plus the keras_version
     * and backend fields.
     */
    static void writeArchitectureJson(Path fullModel, Path json) throws Exception {
        KerasFiles.quiet();
        try (Hdf5Archive a = new Hdf5Archive(fullModel.toString())) {
            ObjectNode root = (ObjectNode) new ObjectMapper().readTree(a.readAttributeAsJson("model_config"));
            root.put("keras_version", a.readAttributeAsString("keras_version"));
            root.put("backend", a.readAttributeAsString("backend"));
            Files.writeString(json, root.toString());
        }
    }

    /**
     * Writes a weights-only file laid out as model.save_weights() does: the groups and attributes of
     * the full file's model_weights group at the root.
     */
    static void writeWeightsOnly(Path fullModel, Path weights) throws Exception {
        KerasFiles.quiet();
        List<String> groups;
        try (Hdf5Archive a = new Hdf5Archive(fullModel.toString())) {
            groups = a.getGroups("model_weights");
        }
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long src = H5Fopen(fullModel.toString(), H5F_ACC_RDONLY, H5P_DEFAULT);
            long dst = H5Fcreate(weights.toString(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
            long mw = H5Gopen2(src, "model_weights", H5P_DEFAULT);
            check(src >= 0 && dst >= 0 && mw >= 0, "open " + fullModel);
            for (String g : groups) {
                check(H5Ocopy(mw, g, dst, g, H5P_DEFAULT, H5P_DEFAULT) >= 0, "copy " + g);
            }
            for (String attr : new String[]{"layer_names", "backend", "keras_version"}) {
                copyAttribute(mw, dst, attr);
            }
            H5Gclose(mw);
            H5Fclose(dst);
            H5Fclose(src);
        }
    }

    /** Writes an HDF5 file whose root has the given variable-length string attributes (as h5py writes them) (e.g. a Keras 3 model_config). */
    static void writeHdf5WithAttributes(Path file, String... nameValuePairs) {
        KerasFiles.quiet();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long f = H5Fcreate(file.toString(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
            check(f >= 0, "create " + file);
            for (int i = 0; i < nameValuePairs.length; i += 2) {
                long type = H5Tcopy(H5T_C_S1_g());
                H5Tset_size(type, H5T_VARIABLE);
                PointerPointer<BytePointer> value = new PointerPointer<>(1);
                value.put(0, new BytePointer(nameValuePairs[i + 1]));
                long space = H5Screate(H5S_SCALAR);
                long attr = H5Acreate2(f, nameValuePairs[i], type, space, H5P_DEFAULT, H5P_DEFAULT);
                check(attr >= 0 && H5Awrite(attr, type, value) >= 0, "write " + nameValuePairs[i]);
                H5Aclose(attr);
                H5Sclose(space);
                H5Tclose(type);
            }
            H5Fclose(f);
        }
    }

    /** Writes a zip laid out like a Keras 3 .keras file (config.json, metadata.json, model.weights.h5). */
    static void writeKeras3Zip(Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("metadata.json"));
            zip.write("{\"keras_version\": \"3.3.3\"}".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("config.json"));
            zip.write(("{\"module\": \"keras\", \"class_name\": \"Functional\", \"config\": {}, "
                    + "\"registered_name\": \"Functional\"}").getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("model.weights.h5"));
            zip.write(new byte[]{(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
            zip.closeEntry();
        }
    }

    private static void copyAttribute(long from, long to, String name) {
        long a = H5Aopen(from, name, H5P_DEFAULT);
        check(a >= 0, "open attribute " + name);
        long type = H5Aget_type(a);
        long space = H5Aget_space(a);
        long points = Math.max(1, H5Sget_simple_extent_npoints(space));
        long bytes = Math.max(H5Aget_storage_size(a), points * H5Tget_size(type)) + 16;
        BytePointer buf = new BytePointer(bytes);
        check(H5Aread(a, type, buf) >= 0, "read attribute " + name);
        long b = H5Acreate2(to, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
        check(b >= 0 && H5Awrite(b, type, buf) >= 0, "write attribute " + name);
        H5Aclose(b);
        H5Sclose(space);
        H5Tclose(type);
        H5Aclose(a);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("HDF5 fixture: could not " + what);
        }
    }

    static {
        Loader.load(org.bytedeco.hdf5.global.hdf5.class);
        H5open();
    }
}
