package io.lathe.cli;

import io.lathe.job.Progress;

/** Progress printed to stderr as a percentage when it moves by a whole percent (or the message changes stage). */
final class ConsoleProgress implements Progress {
    private final boolean quiet;
    private int lastPercent = -1;

    ConsoleProgress(boolean quiet) {
        this.quiet = quiet;
    }

    @Override
    public void update(double fraction, String message) {
        int p = (int) Math.floor(100 * fraction);
        if (!quiet && p != lastPercent) {
            lastPercent = p;
            System.err.printf("\r[%3d%%] %-70s", p, message.length() > 70 ? message.substring(0, 70) : message);
            if (p >= 100) {
                System.err.println();
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
