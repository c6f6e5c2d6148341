package io.lathe.session;

import java.util.Map;

/**
 * What an {@link EvaluateRequest} measured. Numbers that are not finite (the accuracy of a class with no
 * images) are written to JSON as null.
 *
 * @param model              the model's name
 * @param split              the split evaluated ("all" for every image of the folder)
 * @param preprocessJson     the preprocessing the images got (JSON form)
 * @param pixelMeanData      fingerprint of the training split the mean image came from, or null
 * @param bnReestimateImages BatchNorm calibration images used (0: none)
 * @param top1               top-1 accuracy
 * @param interval95         half-width of its 95% interval
 * @param images             images evaluated
 * @param seconds            evaluation time
 * @param sparsity           fraction of zero weights under the plan
 * @param sizeBytes          stored size under the plan
 * @param fp32Bytes          stored size at 32 bits
 * @param compressionRatio   fp32Bytes / sizeBytes
 * @param nonZeroParams      non-zero parameters under the plan
 * @param classNames         the data's class names
 * @param perClass           accuracy per class (NaN: no images of that class)
 * @param confusion          confusion[true][predicted]
 * @param spark              what ran on Spark (master, parallelism, tasks), or null
 */
public record EvaluateResult(String model, String split, String preprocessJson, String pixelMeanData,
                             int bnReestimateImages, double top1, double interval95, int images, double seconds,
                             double sparsity, long sizeBytes, long fp32Bytes, double compressionRatio,
                             long nonZeroParams, String[] classNames, double[] perClass, int[][] confusion,
                             Map<String, Object> spark) {
}
