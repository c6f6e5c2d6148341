package io.lathe.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens data for a model: the bundled Fashion-MNIST, an idx folder, a CIFAR-10 binary folder, or an
 * image folder; the images are read as they are (pixels 0-255) and preprocessed once, here.
 */
public final class DataLoader {
    private DataLoader() {
    }

    /** As {@link #load(Path, int[], Preprocessing)} with {@link Preprocessing#unit()} (x/255). */
    public static DataSplits load(Path folder, int[] chw) throws IOException {
        return load(folder, chw, Preprocessing.unit());
    }

    /**
     * Loads {@code folder} (null = bundled Fashion-MNIST) for a model input of {@code chw}, preprocessed
     * by {@code p}. With {@code p.pixelMean()} the training split's mean image is computed once and
     * kept in {@link AppHome#cacheFolder()}, keyed by the training split's fingerprint.
     *
     * @throws DataFormatException with the folder named when it is missing or holds no known format
     */
    public static DataSplits load(Path folder, int[] chw, Preprocessing p) throws IOException {
        return prepare(readRaw(folder, chw, p), p, AppHome.cacheFolder())
                .withAugmentation(Augmentation.forData(folder));
    }

    /** The data as read, before preprocessing. */
    static RawSplits readRaw(Path folder, int[] chw, Preprocessing p) throws IOException {
        if (folder == null) {
            return FashionMnist.loadRaw(FashionMnist.locate());
        }
        if (FashionMnist.isIdxFolder(folder)) {
            return FashionMnist.loadRaw(folder);
        }
        if (CifarBinaryReader.isCifarBinary(folder)) {
            return CifarBinaryReader.loadRaw(folder);
        }
        if (ImageFolderReader.isImageFolder(folder)) {
            return ImageFolderReader.loadRaw(folder, chw[0], chw[1], chw[2], p.resize(), p.crop());
        }
        throw new DataFormatException(folder, Files.isDirectory(folder)
                ? "holds neither the four idx files (train/t10k images and labels), CIFAR-10 binary batches "
                + "(data_batch_1.bin … test_batch.bin) nor one sub-folder per class"
                : "data folder not found");
    }

    /**
     * Applies {@code p} to every split of {@code raw}; the per-pixel mean (if {@code p} uses it) comes
     * from the training split only, cached under {@code cacheDir} (null: computed, not stored).
     */
    static DataSplits prepare(RawSplits raw, Preprocessing p, Path cacheDir) throws IOException {
        PixelMean mean = p.pixelMean() ? PixelMean.cached(raw.train(), cacheDir) : null;
        return new DataSplits(raw.source(), Preprocessor.apply(raw.train(), p, mean),
                Preprocessor.apply(raw.validation(), p, mean), Preprocessor.apply(raw.test(), p, mean), p, mean);
    }
}
