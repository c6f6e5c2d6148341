package io.lathe.job;

/** The progress sink that ignores every report and is never cancelled. */
enum NoProgress implements Progress {
    INSTANCE;

    @Override
    public void update(double fraction, String message) {
        // Nothing listens.
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
