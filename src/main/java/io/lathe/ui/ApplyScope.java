package io.lathe.ui;

/** Where the layer panel's settings can be copied to. */
public enum ApplyScope {
    SELECTION("the selected layers"), BLOCK("its block"), STAGE("its stage"), ALL("every layer");

    private final String phrase;

    ApplyScope(String phrase) {
        this.phrase = phrase;
    }

    /** How an edit description names the scope. */
    public String phrase() {
        return phrase;
    }
}
