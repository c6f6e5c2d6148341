package io.lathe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a {@code lathe} command in this JVM, expects exit code 0 and returns its JSON output. */
public final class CliJson {
    private CliJson() {
    }

    public static JsonNode run(String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(LatheCommand.run(args)).as("exit code of lathe %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(old);
        }
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }
}
