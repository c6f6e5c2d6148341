package io.lathe.export;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an export wrote and proved: plain data for the CLI and the Export dialog.
 *
 * @param folder       where the files are
 * @param artifacts    every file written, with size, checksum, measured test top-1 and latency
 * @param checks       the verification table (each artifact reloaded independently)
 * @param sizes        size comparison
 * @param top1Before   test top-1 of the uncompressed model
 * @param top1After    test top-1 of the compressed model (DL4J)
 * @param testImages   test images evaluated
 * @param layers       per-layer rows (settings, sparsity, bits, packed bytes, MACs)
 * @param versions     Lathe, DL4J, ONNX Runtime and Java versions
 * @param fingerprints model, data and plan fingerprints
 */
public record ExportResult(Path folder, List<Artifact> artifacts, List<Check> checks, Sizes sizes, double top1Before,
                           double top1After, int testImages, List<LayerRow> layers, Map<String, String> versions,
                           Map<String, String> fingerprints) {

    /** True when every check passed. */
    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /**
     * One written file.
     *
     * @param name      file name in the folder
     * @param kind      what it is
     * @param bytes     size on disk
     * @param sha256    checksum of the file
     * @param top1      test top-1 measured from the reloaded file (NaN when not a runnable model)
     * @param latencyMs median latency per batch (NaN when not measured)
     */
    public record Artifact(String name, String kind, long bytes, String sha256, double top1, double latencyMs) {
    }

    /** One row of the verification table. */
    public record Check(String artifact, String check, boolean passed, String detail) {
    }

    /**
     * Sizes in bytes.
     *
     * @param fp32Bytes        4 bytes × all parameters of the original model (BN included)
     * @param zipBytes         compressed DL4J zip (no updater)
     * @param gzipBytes        gzip of the compressed model's raw fp32 parameters
     * @param packedBytes      packed file, BatchNorm folded
     * @param packedExactBytes packed file, BatchNorm kept (exactly the compressed DL4J model)
     */
    public record Sizes(long fp32Bytes, long zipBytes, long gzipBytes, long packedBytes, long packedExactBytes) {
        public double ratio(long bytes) {
            return bytes == 0 ? 0 : (double) fp32Bytes / bytes;
        }
    }

    /** One layer's figures for the report. */
    public record LayerRow(String name, String granularity, double sparsity, int bits, long weights, long nonZero,
                           long packedBytes, long macs, long nonZeroMacs) {
    }
}
