package io.lathe.ui;

import java.util.Locale;

/** How the workbench writes numbers: percentages, points, sizes, counts. */
public final class Formats {
    private Formats() {
    }

    /** A fraction as a percentage, e.g. 0.7 → "70.0%". */
    public static String percent(double fraction, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * fraction);
    }

    /** A change of accuracy in percentage points with sign, e.g. "−1.25 pts". */
    public static String points(double deltaFraction) {
        double p = 100 * deltaFraction;
        String sign = p > 0.0049 ? "+" : p < -0.0049 ? "−" : "±";
        return sign + String.format(Locale.ROOT, "%.2f", Math.abs(p)) + " pts";
    }

    /** A threshold or other small number with four significant digits. */
    public static String number(double v) {
        if (v == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** Bytes as B / KB / MB (1 KB = 1,024 bytes). */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MB", b / (1024.0 * 1024));
    }

    /** A count with thousands separators, e.g. 272,474. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A large count in short form: 40.8 M, 272 k. */
    public static String shortCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f G", n / 1e9);
        }
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (n >= 10_000) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return count(n);
    }

    /** A count in at most five characters for table cells: 640, 4.74k, 274k, 3.61M. */
    public static String compact(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        String[] units = {"k", "M", "G"};
        double v = n;
        int u = -1;
        while (v >= 999.5 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        String digits = v >= 99.95 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 9.995 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return digits + units[u];
    }

    /** Seconds as "12 s" or "3 min 05 s". */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "";
        }
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
}
