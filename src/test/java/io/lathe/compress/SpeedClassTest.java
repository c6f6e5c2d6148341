package io.lathe.compress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SpeedClassTest {
    @ParameterizedTest
    @CsvSource({
            "channel, 0.5, 32, 0, latency-real",
            "channel, 0.5, 8, 0, latency-real",
            "element, 0.9, 32, 0, size-only",
            "block, 0.5, 32, 0, size-only",
            "element, 0.0, 8, 0, size-only",
            "element, 0.0, 32, 4, size-only",
            "element, 0.0, 32, 0, none",
            "channel, 0.0, 32, 0, none"})
    void settingsAreLatencyRealOnlyWhenTheyRemoveChannels(String granularity, double sparsity, int bits, int share,
                                                           String expected) {
        PruneSetting p = PruneSetting.sparsity(Granularity.parse(granularity), sparsity);
        assertThat(SpeedClass.of(p, QuantSetting.bits(bits), ShareSetting.bits(share)).key()).isEqualTo(expected);
    }
}
