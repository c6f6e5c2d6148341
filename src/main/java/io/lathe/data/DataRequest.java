package io.lathe.data;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where a data set lives and how to read it for a model, as plain values that can travel to another
 * process: the folder (null: the bundled Fashion-MNIST), the model's input shape, its preprocessing,
 * and the class names the model's outputs stand for (null: take the data's classes as they are).
 * {@link #open()} reads it the same way wherever it runs. Immutable.
 *
 * @param folder            absolute path of the data folder, or null for the bundled data
 * @param inputShape        channels, height, width of the model's input
 * @param preprocessingJson the preprocessing in its JSON form ({@link Preprocessing#toJson()})
 * @param classNames        the model's class names to match the data's classes to, or null
 */
public record DataRequest(String folder, int[] inputShape, String preprocessingJson, String[] classNames)
        implements Serializable {
    public DataRequest {
        inputShape = inputShape.clone();
        classNames = classNames == null ? null : classNames.clone();
        Preprocessing.fromJson(preprocessingJson);
    }

    /** The request for {@code folder} (null: bundled data) read for a model of input {@code chw}. */
    public static DataRequest of(Path folder, int[] chw, Preprocessing preprocessing, String[] classNames) {
        return new DataRequest(folder == null ? null : folder.toAbsolutePath().normalize().toString(), chw,
                preprocessing.toJson(), classNames);
    }

    /**
     * The same request with the bundled data's folder named (as this machine finds it), for a process
     * whose working folder may differ; a request with a folder is returned as it is.
     */
    public DataRequest located() throws DataFormatException {
        return folder != null ? this : of(FashionMnist.locate(), inputShape, preprocessing(), classNames);
    }

    /** The preprocessing this request reads with. */
    public Preprocessing preprocessing() {
        return Preprocessing.fromJson(preprocessingJson);
    }

    /**
     * Reads the data: preprocessed as requested, its classes matched by name to {@link #classNames()}
     * when given (see {@link ClassNames#matchTo}).
     */
    public DataSplits open() throws IOException {
        DataSplits d = DataLoader.load(folder == null ? null : Path.of(folder), inputShape, preprocessing());
        return classNames == null ? d : ClassNames.matchTo(d, classNames);
    }
}
