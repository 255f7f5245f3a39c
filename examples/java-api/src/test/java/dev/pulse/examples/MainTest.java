package dev.pulse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the example as a user would and checks what it prints: the lift the data was made with, +10 %. */
class MainTest {

    @Test
    void printsTheLift() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Main.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        out.println(String.join("\n", lines));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("Pulse " + System.getProperty("pulse.version"), lines.get(0), "the Pulse this example was built against");
        assertTrue(lines.get(1).matches("checkout_v2 revenue: treatment vs control \\+10\\.00% \\[\\+\\d+\\.\\d\\d%,"
                + " \\+\\d+\\.\\d\\d%\\], p = 0\\.0000, significant"), lines.get(1));
    }
}
