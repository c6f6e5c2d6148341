package io.lathe.job;

/** Thrown inside a job when the user cancelled it; jobs let it propagate and leave inputs unchanged. */
public class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled");
    }
}
