package dev.pulse.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits that keep reading any config fast: size, merge keys, aliases, dates (docs/config-reference.md, "Limits"). */
class ConfigLimitsTest {
    @TempDir
    Path folder;

    private List<ConfigProblem> problems(String yaml) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.problems(file);
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsParsed() throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, "sources: {}\n# " + "x".repeat(ConfigLimits.MAX_BYTES) + "\n");
        long start = System.nanoTime();
        List<ConfigProblem> problems = ConfigLoader.problems(file);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).format().contains("larger than 1048576 bytes (1 MiB)"), problems.toString());
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused at once");
        Files.writeString(file, "sources: {}\n# " + "x".repeat(ConfigLimits.MAX_BYTES - 20) + "\n");
        assertTrue(ConfigLoader.problems(file).stream().noneMatch(p -> p.message().contains("larger than")));
    }

    @Test
    void nestedMergeKeysStayFast() throws IOException {
        // each level merges the one below twice: 2^24 expansions read naively (21 s at 2.5 KB once)
        StringBuilder yaml = new StringBuilder("sources: {}\nmetrics: {}\nexperiments:\n  l0: &l0 {unit: org_id}\n");
        for (int i = 1; i <= 24; i++) {
            yaml.append("  l").append(i).append(": &l").append(i).append("\n    <<: [*l").append(i - 1)
                    .append(", *l").append(i - 1).append("]\n    control: c").append(i).append('\n');
        }
        long start = System.nanoTime();
        List<ConfigProblem> problems = problems(yaml.toString());
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "well under a second: " + (System.nanoTime() - start) / 1e6 + " ms");
        assertTrue(problems.stream().anyMatch(p -> p.path().equals("experiments.l24") && p.message().startsWith("missing 'start'")),
                problems.toString());
    }

    @Test
    void aMergeKeyThatLeadsBackIntoItsMapIsAProblemAtTheMergeKey() throws IOException {
        List<ConfigProblem> problems = problems("sources: {}\nmetrics: {}\nexperiments:\n  e1: &a\n    unit: org_id\n    <<: *a\n");
        ConfigProblem cycle = problems.stream().filter(p -> p.message().contains("merge key '<<' refers to a map it is part of"))
                .findFirst().orElseThrow(() -> new AssertionError(problems.toString()));
        assertEquals(6, cycle.line());
        assertEquals(5, cycle.column());
        assertEquals("experiments.e1", cycle.path());
    }

    @Test
    void datesOutsideFourDigitYearsAreProblems() throws IOException {
        String yaml = "sources: {}\nmetrics: {}\nexperiments:\n  e:\n    start: %s\n";
        assertTrue(problems(yaml.formatted("+999999999-01-01")).stream()
                .anyMatch(p -> p.message().equals("expected a date like 2026-03-01, got '+999999999-01-01'")));
        assertTrue(problems(yaml.formatted("1899-12-31")).stream()
                .anyMatch(p -> p.message().equals("expected a date from 1900-01-01 to 9999-12-30, got '1899-12-31'")));
        assertTrue(problems(yaml.formatted("9999-12-30")).stream().noneMatch(p -> p.path().endsWith(".start")));
    }

    @Test
    void longValuesAreQuotedShortAndGetNoHint() throws IOException {
        List<ConfigProblem> problems = problems("sources: {}\nmetrics: {}\nexperiments: {}\n? " + "k".repeat(300_000) + "\n: 1\n");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().length() < 400, problems.get(0).message().length() + " characters");
        assertTrue(problems.get(0).message().contains("(299920 more characters)"), problems.get(0).message());
    }
}
