package dev.pulse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example as a user would and checks what it prints, the lift the data was made with (+10 %), and the HTML
 * report it writes.
 */
class MainTest {

    @Test
    void printsTheLiftAndWritesTheReport(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Path report = dir.resolve("report.html");
        try {
            Main.main(new String[] {report.toString()});
        } finally {
            System.setOut(out);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        out.println(String.join("\n", lines));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("Pulse " + System.getProperty("pulse.version"), lines.get(0), "the Pulse this example was built against");
        assertTrue(lines.get(1).matches("checkout_v2 revenue: treatment vs control \\+10\\.00% \\[\\+\\d+\\.\\d\\d%,"
                + " \\+\\d+\\.\\d\\d%\\], p = 0\\.0000, significant"), lines.get(1));
        // the HTML report: mustache.java reads its templates and records through the module's opens
        String html = Files.readString(report);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("checkout_v2") && html.contains("revenue"),
                html.substring(0, Math.min(html.length(), 200)));
    }
}
