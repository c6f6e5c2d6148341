package io.lathe.data;

import java.io.IOException;
import java.nio.file.Path;

/** Opens data for a model: the bundled Fashion-MNIST, an idx folder, or an image folder. */
public final class DataLoader {
    private DataLoader() {
    }

    /**
     * Loads {@code folder} (null = bundled Fashion-MNIST) for a model input of {@code chw}.
     *
     * @throws DataFormatException with the folder named when it is missing or holds neither format
     */
    public static DataSplits load(Path folder, int[] chw) throws IOException {
        if (folder == null) {
            return FashionMnist.load();
        }
        if (FashionMnist.isIdxFolder(folder)) {
            return FashionMnist.load(folder);
        }
        if (ImageFolderReader.isImageFolder(folder)) {
            return ImageFolderReader.load(folder, chw[0], chw[1], chw[2]);
        }
        throw new DataFormatException(folder, java.nio.file.Files.isDirectory(folder)
                ? "holds neither the four idx files (train/t10k images and labels) nor one sub-folder per class"
                : "data folder not found");
    }
}
