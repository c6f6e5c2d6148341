package io.lathe.train;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ErkAllocationTest {
    private static Map<String, long[]> resnetLikeShapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("stem", new long[]{16, 1, 3, 3});
        s.put("s1", new long[]{16, 16, 3, 3});
        s.put("s3", new long[]{64, 64, 3, 3});
        s.put("shortcut", new long[]{64, 32, 1, 1});
        s.put("fc", new long[]{64, 10});
        return s;
    }

    @Test
    void reachesTheGlobalTarget() {
        Map<String, long[]> shapes = resnetLikeShapes();
        Map<String, Double> sp = ErkAllocation.sparsities(shapes, 0.8);
        double zeros = 0;
        double total = 0;
        for (var e : shapes.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            total += n;
            zeros += n * sp.get(e.getKey());
        }
        assertThat(zeros / total).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void prunesBigLayersHarderThanSmallOnes() {
        Map<String, Double> sp = ErkAllocation.sparsities(resnetLikeShapes(), 0.8);
        assertThat(sp.get("stem")).isEqualTo(0.0);
        assertThat(sp.get("s3")).isGreaterThan(sp.get("s1")).isGreaterThan(0.8);
        assertThat(sp.get("fc")).isLessThan(sp.get("s1"));
    }
}
