package io.lathe.model;

/** The kinds of layers Lathe distinguishes. */
public enum LayerKind {
    CONV("Conv"), DENSE("Dense"), BATCH_NORM("BatchNorm"), ACTIVATION("Activation"), POOL("Pool"),
    ADD("Add"), OUTPUT("Dense (output)"), OTHER("Other");

    private final String label;

    LayerKind(String label) {
        this.label = label;
    }

    /** Display name. */
    public String label() {
        return label;
    }

    /** True for kinds whose weights Lathe prunes and quantizes. */
    public boolean hasWeights() {
        return this == CONV || this == DENSE || this == OUTPUT;
    }
}
