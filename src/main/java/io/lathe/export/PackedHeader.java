package io.lathe.export;

/**
 * What a packed {@code .lathe} file says about itself.
 *
 * @param version      format version
 * @param folded       true when BatchNorm is folded into the preceding convolutions (the restored
 *                     architecture is {@link BatchNormFolding#foldedArchitecture})
 * @param modelName    name of the model the file was made from
 * @param modelSha256  fingerprint of that model file (hex)
 * @param planSha256   fingerprint of the plan file's text (hex)
 * @param archSha256   fingerprint of the parameter layout the file restores into (hex, see {@link ParamLayout})
 * @param tensors      number of parameter tensors
 * @param values       number of parameter values
 * @param preprocess   the model's input preprocessing as JSON ({@link PreprocessRecord}), or null (files of
 *                     version 2 do not record it)
 */
public record PackedHeader(int version, boolean folded, String modelName, String modelSha256, String planSha256,
                           String archSha256, int tensors, long values, String preprocess) {
    /** A header without a recorded preprocessing. */
    public PackedHeader(int version, boolean folded, String modelName, String modelSha256, String planSha256,
                        String archSha256, int tensors, long values) {
        this(version, folded, modelName, modelSha256, planSha256, archSha256, tensors, values, null);
    }
}
