package io.lathe.compress;

/**
 * A pruning block of {@code rows×cols} weights. For convolutions the block tiles each filter's
 * weights viewed as a matrix of input channels × (kH·kW); for dense layers the weight matrix.
 */
public record BlockShape(int rows, int cols) {
    public static BlockShape parse(String s) {
        String[] p = s.toLowerCase().split("x");
        try {
            if (p.length == 2) {
                int r = Integer.parseInt(p[0].trim());
                int c = Integer.parseInt(p[1].trim());
                if (r >= 1 && c >= 1 && r <= 16 && c <= 16) {
                    return new BlockShape(r, c);
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("block shape '" + s + "' must be RxC with 1..16, e.g. 1x4 or 2x2");
    }

    @Override
    public String toString() {
        return rows + "x" + cols;
    }
}
