package io.lathe.session;

import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PlanJournalTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String OTHER = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    @TempDir
    Path dir;
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:04:00Z"), ZoneOffset.UTC);
    private final List<String> problems = new ArrayList<>();

    private PlanJournal journal() {
        return new PlanJournal(dir.resolve("journal"), clock);
    }

    private static String planJson(double sparsity) {
        return PlanJson.write(Plan.empty("m", SHA).withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, sparsity),
                QuantSetting.NONE.withBits(4)));
    }

    private static PlanJournal.Entry entry(String sha, double sparsity) {
        return new PlanJournal.Entry(planJson(sparsity), sha, "m", "/models/m.zip", "/data/cifar", 23, true,
                Instant.parse("2026-12-02T12:03:59Z"));
    }

    @Test
    void anEntryReadsBackExactly() throws Exception {
        PlanJournal.Entry e = entry(SHA, 0.375);
        journal().write(e);
        assertThat(journal().read(SHA, problems::add)).contains(e);
        assertThat(problems).isEmpty();
    }

    @Test
    void eachModelHasItsOwnJournal() throws Exception {
        journal().write(entry(SHA, 0.1));
        journal().write(entry(OTHER, 0.2));
        assertThat(journal().read(SHA, problems::add).orElseThrow().planJson()).isEqualTo(planJson(0.1));
        assertThat(journal().read(OTHER, problems::add).orElseThrow().planJson()).isEqualTo(planJson(0.2));
    }

    @Test
    void nothingIsJournaledForAModelNeverEdited() throws Exception {
        journal().write(entry(OTHER, 0.2));
        assertThat(journal().read(SHA, problems::add)).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void aCorruptJournalIsSetAsideAndReported() throws Exception {
        Path file = journal().fileFor(SHA);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"format\":\"lathe-plan-journal\",\"version\":1,\"model\":{\"sha2");
        assertThat(journal().read(SHA, problems::add)).isEmpty();
        assertThat(problems).singleElement().asString().contains("The plan journal").contains("not valid JSON")
                .contains("set aside as " + file.getFileName() + ".corrupt-20261202-120400");
        assertThat(Files.exists(file)).isFalse();
        assertThat(journal().read(SHA, problems::add)).isEmpty();
        assertThat(problems).hasSize(1);
    }

    @Test
    void aJournalWrittenForAnotherModelIsNotReturnedForThisOne() throws Exception {
        journal().write(entry(OTHER, 0.2));
        Path file = journal().fileFor(SHA);
        Files.move(journal().fileFor(OTHER), file);
        assertThat(journal().read(SHA, problems::add)).isEmpty();
        assertThat(problems).singleElement().asString().contains("another model");
    }

    @Test
    void writingLeavesOnlyTheJournalFile() throws Exception {
        for (int i = 0; i < 5; i++) {
            journal().write(entry(SHA, i / 10.0));
        }
        try (Stream<Path> s = Files.list(dir.resolve("journal"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("plan-0123456789abcdef.json");
        }
    }
}
