package io.lathe.compress;

/** A plan file or plan that cannot be used: names the line (when known), the field and why. */
public class PlanException extends Exception {
    private final int line;
    private final String field;

    public PlanException(int line, String field, String problem) {
        super((line > 0 ? "line " + line + ", " : "") + "field '" + field + "': " + problem);
        this.line = line;
        this.field = field;
    }

    /** 1-based line in the file, or 0 when not from a file. */
    public int line() {
        return line;
    }

    /** The JSON path of the offending field, e.g. layers.stage1.block0.conv1.quant.bits. */
    public String field() {
        return field;
    }
}
