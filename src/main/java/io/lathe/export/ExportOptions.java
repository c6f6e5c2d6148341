package io.lathe.export;

/**
 * What an export writes and how much it measures.
 *
 * @param onnx              write the fp32 ONNX model (and verify it in ONNX Runtime)
 * @param int8              also write the INT8 (QDQ) ONNX model
 * @param calibrationImages validation images used to calibrate INT8 activation ranges
 * @param latencyBatch      batch size for latency measurements
 * @param latencyRepeats    timed calls per latency measurement (0 = skip latency)
 * @param testLimit         evaluate on the first N test images only (0 = the whole test split)
 */
public record ExportOptions(boolean onnx, boolean int8, int calibrationImages, int latencyBatch, int latencyRepeats,
                            int testLimit) {
    public ExportOptions {
        if (calibrationImages < 1 || latencyBatch < 1 || latencyRepeats < 0 || testLimit < 0) {
            throw new IllegalArgumentException("export options must be positive (calibration images, batch) "
                    + "or zero (repeats, test limit)");
        }
    }

    /** Everything on: 1,000 calibration images, batch 64, 30 repeats, the whole test split. */
    public static ExportOptions defaults() {
        return new ExportOptions(true, true, 1000, 64, 30, 0);
    }
}
