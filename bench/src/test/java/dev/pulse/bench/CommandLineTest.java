package dev.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void splitsOnWhitespaceAndKeepsQuotedWordsWhole() {
        assertEquals(List.of("java", "-jar", "pulse-cli/target/pulse.jar"),
                CommandLine.split("  java  -jar\tpulse-cli/target/pulse.jar "));
        assertEquals(List.of("sh", "-c", "exec ./pulse \"$@\"", "x"),
                CommandLine.split("sh -c 'exec ./pulse \"$@\"' x"));
        assertEquals(List.of("a b", ""), CommandLine.split("\"a b\" ''"));
    }

    @Test
    void rejectsAnUnclosedQuote() {
        assertThrows(IllegalArgumentException.class, () -> CommandLine.split("sh -c 'oops"));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Benchmark.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Benchmark.median(new double[] {4, 1, 3, 2}));
    }
}
