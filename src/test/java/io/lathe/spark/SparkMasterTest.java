package io.lathe.spark;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparkMasterTest {
    @ParameterizedTest
    @CsvSource({"'local[2]', 'local[2,4]'", "local, 'local[1,4]'", "'local[*]', 'local[*,4]'", "'local[3,2]', 'local[3,2]'",
            "spark://127.0.0.1:7077, spark://127.0.0.1:7077", "yarn, yarn"})
    void localMastersRetryFailedTasks(String given, String used) {
        assertThat(SparkMaster.parse(given).effectiveUrl()).isEqualTo(used);
    }

    @ParameterizedTest
    @CsvSource({"local[0]", "lcoal[2]", "spark://host", "spark://:7077", "http://host:7077", "local[two]"})
    void malformedMastersAreRefusedInOneLine(String given) {
        assertThatThrownBy(() -> SparkMaster.parse(given)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(given.startsWith("spark://") ? "HOST:PORT" : "is not a Spark master")
                .message().doesNotContain("\n");
    }

    @Test
    void unreachableMasterIsRefusedBeforeSparkStarts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SparkMaster m = SparkMaster.parse("spark://127.0.0.1:" + port);

        assertThatThrownBy(() -> m.checkReachable(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot reach the Spark master at 127.0.0.1:" + port)
                .hasMessageContaining("start it");
    }

    @Test
    void bareSparkOptionOutsideSparkSubmitSaysWhatToGive() {
        assertThatThrownBy(() -> SparkMaster.parse("").effectiveUrl()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only works under spark-submit");
    }
}
