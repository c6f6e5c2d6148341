package org.nd4j.nativeblas;

/**
 * Compatibility shim under the class name DL4J 1.0.0-M2.1's {@code BaseMKLDNNHelper} looks up by
 * reflection. M2.1 moved the native environment to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment} and renamed the switch to
 * {@code isUseONEDNN()}; without this class every oneDNN layer helper reports "not supported" and
 * DL4J falls back to its slow built-in convolution. See ENGINE-NOTES and decision 0001.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The old-named environment; answers from the M2.1 native environment. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
