package io.lathe.session;

import io.lathe.engine.Engine;
import io.lathe.model.ResNetFactory;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Path;

/** Test fixtures: other tiny ResNets beside {@link TinyModels}' network, saved as DL4J zips. */
public final class SmallModels {
    private SmallModels() {
    }

    /**
     * Saves an untrained ResNet with one block per stage, the given widths and input, and
     * {@link TinyModels#OUTPUTS} outputs, as {@code name}.zip in {@code folder}.
     */
    public static Path saveZip(Path folder, String name, int[] widths, int channels, int size) throws IOException {
        Engine.configure();
        Path zip = folder.resolve(name + ".zip");
        ModelSerializer.writeModel(ResNetFactory.build(1, widths, size, size, channels, TinyModels.OUTPUTS, 7, null, 0),
                zip.toFile(), false);
        return zip;
    }

    /** A narrower network than the tiny model (widths 2/4/4) for the same 1×28×28 images. */
    public static Path smaller(Path folder) throws IOException {
        return saveZip(folder, "tiny-small", new int[]{2, 4, 4}, 1, 28);
    }
}
