package io.lathe.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NativeMemoryTrimTest {
    @Test
    void trimsAtMostOncePerInterval() {
        NativeMemoryTrim hourly = new NativeMemoryTrim(Duration.ofHours(1));
        hourly.afterJob();
        hourly.afterJob();
        assertThat(hourly.trims()).isZero();
        NativeMemoryTrim always = new NativeMemoryTrim(Duration.ZERO);
        always.afterJob();
        always.afterJob();
        assertThat(always.trims()).isEqualTo(2);
    }

    /** The call is private in JavaCPP; this fails if a JavaCPP upgrade removes or renames it. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void theAllocatorCanBeTrimmedAfterArraysAreReleased() {
        Engine.configure();
        INDArray big = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 1024, 1024);
        big.close();
        assertThat(Engine.trimNativeMemory()).isTrue();
    }
}
