package io.lathe.ui;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FormatsTest {
    @ParameterizedTest
    @CsvSource({"640, 640", "4736, 4.74k", "14200, 14.2k", "273754, 274k", "999999, 1.00M", "3610000, 3.61M",
            "31020000, 31.0M"})
    void compactCountsFitATableCell(long n, String expected) {
        assertThat(Formats.compact(n)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-0.0125, −1.25 pts", "0.005, +0.50 pts", "0.0, ±0.00 pts"})
    void accuracyChangesArePointsWithTwoDecimals(double delta, String expected) {
        assertThat(Formats.points(delta)).isEqualTo(expected);
    }
}
