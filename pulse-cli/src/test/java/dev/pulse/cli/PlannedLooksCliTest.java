package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.cli.OptionsCliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planned looks (a group-sequential test) end to end: {@code pulse stats --look-fractions} and
 * {@code pulse analyze} (table and HTML report) on the demo with {@code planned_looks}. The boundaries are
 * checked against published and Python numbers in pulse-stats; here the wiring.
 */
class PlannedLooksCliTest {
    @TempDir
    static Path folder;

    static Path sums;

    /**
     * Revenue: control n 100, Σx 100, Σx² 200 (mean 1, variance 100/99); treatment n 100, Σx 145, Σx² 330.25
     * (mean 1.45, variance 120/99): Δ = 0.45, SE = √((100/99 + 120/99)/100) = 0.149071, z = 3.01869.
     */
    @BeforeAll
    static void writeSums() throws IOException {
        sums = folder.resolve("sums.json");
        Files.writeString(sums, """
                {"alpha": 0.05, "control": "control",
                 "metrics": [
                   {"metric": "revenue", "type": "sum",
                    "groups": [{"name": "control", "n": 100, "sum_x": 100, "sum_x2": 200},
                               {"name": "treatment", "n": 100, "sum_x": 145, "sum_x2": 330.25}]}]}""");
    }

    /**
     * K = 5 equally spaced, two-sided 0.05, O'Brien–Fleming type: c₂ = 3.357 (z = 3.019: not crossed), c₃ =
     * 2.680 (crossed); the repeated CI is Δ ± c·SE.
     */
    @Test
    void statsTakesTheLookFractions() throws IOException {
        Run second = OptionsCliTest.run("stats", "--input", sums.toString(), "--format", "json",
                "--look-fractions", "0.2,0.4,0.6,0.8,1", "--look", "2");
        assertEquals(0, second.code(), second.err());
        JsonNode planned = new ObjectMapper().readTree(second.out()).at("/metrics/0/comparisons/0/planned_looks");
        double se = Math.sqrt((100.0 / 99 + 120.0 / 99) / 100);
        assertEquals(0.45 / se, planned.get("z").asDouble(), 1e-9);
        assertEquals(3.357, planned.at("/looks/1/boundary").asDouble(), 5e-4);
        assertTrue(planned.at("/looks/1/date").isNull());
        assertEquals(false, planned.get("crossed").asBoolean());
        double c = planned.at("/looks/1/boundary").asDouble();
        assertEquals(0.45 - c * se, planned.at("/absolute/ci_lower").asDouble(), 1e-9);

        Run third = OptionsCliTest.run("stats", "--input", sums.toString(), "--format", "json",
                "--look-fractions", "0.2,0.4,0.6,0.8,1", "--look", "3", "--spending", "obrien_fleming");
        assertTrue(new ObjectMapper().readTree(third.out()).at("/metrics/0/comparisons/0/planned_looks/crossed").asBoolean());

        Run table = OptionsCliTest.run("stats", "--input", sums.toString(), "--look-fractions", "0.5,1",
                "--spending", "pocock");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("revenue / treatment: planned look 2 of 2 (t = 1.0000, pocock): z = 3.019,"
                + " boundary ±"), table.out());
        Run csv = OptionsCliTest.run("stats", "--input", sums.toString(), "--format", "csv", "--look-fractions", "1");
        // the planned-look columns sit with the other options' columns; step stays last (docs/cli.md)
        List<String> header = List.of(csv.out().lines().findFirst().orElseThrow().split(","));
        List<String> row = List.of(csv.out().lines().skip(1).findFirst().orElseThrow().split(",", -1));
        assertEquals("step", header.get(header.size() - 1), csv.out());
        assertEquals("1", row.get(header.indexOf("planned_look")), csv.out());
        assertEquals("at_look", row.get(header.indexOf("planned_look_status")), csv.out());
    }

    @Test
    void badLookFlagsAreInputErrors() throws IOException {
        Run decreasing = OptionsCliTest.run("stats", "--input", sums.toString(), "--look-fractions", "0.5,0.4,1");
        assertEquals(2, decreasing.code());
        assertTrue(decreasing.err().contains("--look-fractions: expected strictly increasing fractions in (0, 1]"),
                decreasing.err());
        Run look = OptionsCliTest.run("stats", "--input", sums.toString(), "--look-fractions", "0.5,1", "--look", "3");
        assertEquals(2, look.code());
        assertTrue(look.err().contains("--look: expected 1 to 2"), look.err());
        Run spending = OptionsCliTest.run("stats", "--input", sums.toString(), "--look-fractions", "1",
                "--spending", "pocok");
        assertEquals(2, spending.code());
        assertTrue(spending.err().contains("did you mean 'pocock'?"), spending.err());
        Run alone = OptionsCliTest.run("stats", "--input", sums.toString(), "--look", "2");
        assertEquals(2, alone.code());
        assertTrue(alone.err().contains("--look and --spending need --look-fractions"), alone.err());
        Path sequential = folder.resolve("sequential.json");
        Files.writeString(sequential, Files.readString(sums).replace("\"control\": \"control\",",
                "\"control\": \"control\", \"sequential\": {\"min_units\": 2},"));
        Run both = OptionsCliTest.run("stats", "--input", sequential.toString(), "--look-fractions", "1");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("two ways to look early; keep one"), both.err());
    }

    /** The demo (2026-03-01 to 03-28) with looks on 03-14 and 03-28: the end is look 2; table and report show it. */
    @Test
    void analyzeAndReportShowTheLook() throws IOException {
        Run demo = OptionsCliTest.run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        Path config = folder.resolve("demo/looks.yaml");
        Files.writeString(config, Files.readString(folder.resolve("demo/pulse.yaml"))
                .replace("    alpha: 0.05\n", "    alpha: 0.05\n    planned_looks: {dates: [2026-03-14, 2026-03-28]}\n"));
        Run table = OptionsCliTest.run("analyze", "--config", config.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains(": planned look 2 of 2 (2026-03-28, t = 1.0000, obrien_fleming): z = "),
                table.out());
        Path html = folder.resolve("report.html");
        Run report = OptionsCliTest.run("analyze", "--config", config.toString(), "--format", "json",
                "--out", folder.resolve("looks.json").toString(), "--report", html.toString());
        assertEquals(0, report.code(), report.err());
        String page = org.jsoup.Jsoup.parse(html.toFile()).text();
        int at = page.indexOf("planned look");
        assertTrue(page.contains("planned look 2 of 2 (2026-03-28, t = 1.0000, obrien_fleming)"),
                at < 0 ? "no planned look in the report" : page.substring(at, Math.min(page.length(), at + 200)));
    }
}
