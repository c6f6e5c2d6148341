package io.lathe.export;

/** The file names of one export, derived from the model name. */
record ArtifactNames(String model) {
    String plan() {
        return model + "-plan.json";
    }

    String zip() {
        return model + "-compressed.zip";
    }

    String foldedZip() {
        return model + "-compressed-bnfolded.zip";
    }

    /** The JSON sidecar of {@link #zip()}: what Lathe reads back (input shape, preprocessing). */
    String zipSidecar() {
        return model + "-compressed.json";
    }

    /** The JSON sidecar of {@link #foldedZip()}. */
    String foldedZipSidecar() {
        return model + "-compressed-bnfolded.json";
    }

    String packed() {
        return model + ".lathe";
    }

    String packedExact() {
        return model + "-bn.lathe";
    }

    String onnx() {
        return model + ".onnx";
    }

    String onnxInt8() {
        return model + "-int8.onnx";
    }

    String reportHtml() {
        return model + "-report.html";
    }

    String reportCsv() {
        return model + "-report.csv";
    }

    String chartLayers() {
        return model + "-layers.png";
    }

    String chartAccuracy() {
        return model + "-accuracy.png";
    }
}
