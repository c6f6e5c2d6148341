package io.lathe.export;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RangeCoderTest {
    @Test
    void decodesWhatWasEncodedAndCompressesSkewedBits() throws Exception {
        Random r = new Random(3);
        int n = 20_000;
        int[] bits = new int[n];
        int[] values = new int[n];
        RangeEncoder e = new RangeEncoder();
        short[] m = RangeEncoder.models(1);
        short[] t = RangeEncoder.models(16);
        for (int i = 0; i < n; i++) {
            bits[i] = r.nextDouble() < 0.1 ? 1 : 0;
            values[i] = r.nextInt(16);
            e.bit(m, 0, bits[i]);
            e.tree(t, 0, 4, values[i]);
            e.direct(i & 0x7, 3);
        }
        byte[] out = e.finish();
        RangeDecoder d = new RangeDecoder(out, 0, out.length);
        short[] m2 = RangeEncoder.models(1);
        short[] t2 = RangeEncoder.models(16);
        for (int i = 0; i < n; i++) {
            assertThat(d.bit(m2, 0)).isEqualTo(bits[i]);
            assertThat(d.tree(t2, 0, 4)).isEqualTo(values[i]);
            assertThat(d.direct(3)).isEqualTo(i & 0x7);
        }
        double idealBits = n * (0.469 + 4 + 3);
        assertThat(out.length * 8.0).isLessThan(idealBits * 1.03);
    }
}
