package dev.pulse.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status line: shown in place on a terminal, absent everywhere else. */
class ProgressTest {

    @Test
    void aTerminalSeesThePhaseAndElapsedTimeThenAClearedLine() {
        StringWriter err = new StringWriter();
        try (Progress progress = Progress.always(new PrintWriter(err))) {
            progress.phase("experiment 1/2 pricing_v2: running the SQL in duckdb");
            progress.phase("experiment 2/2 onboarding: running the SQL in duckdb");
        }
        String text = err.toString();
        assertTrue(text.contains("\rpulse: experiment 1/2 pricing_v2: running the SQL in duckdb (0:00)"), text);
        assertTrue(text.contains("\rpulse: experiment 2/2 onboarding: running the SQL in duckdb (0:00)"), text);
        assertTrue(text.endsWith("\r"), "the line is cleared at the end: " + text);
        assertFalse(text.contains("\n"), "never scrolls: " + text);
    }

    @Test
    void silentProgressWritesNothing() {
        try (Progress progress = Progress.silent()) {
            progress.phase("anything");
        }
        StringWriter err = new StringWriter();
        // under the test runner there is no console: the CLI's own progress is silent
        try (Progress progress = Progress.forTerminal(new PrintWriter(err))) {
            progress.phase("experiment 1/1 x: running the SQL in duckdb");
        }
        assertEquals("", err.toString());
    }
}
