package io.lathe.cli;

/** Turns exceptions into the one plain line the CLI prints on stderr. */
final class Errors {
    private Errors() {
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = root.getClass().getSimpleName();
        }
        return msg.lines().findFirst().orElse(msg);
    }
}
