package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.InteractionScan;
import dev.pulse.stats.Comparison;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactions between two experiments against an independent reference: {@code src/test/python/reference_interactions.py}
 * simulated the rows of {@code src/test/resources/interactions/} (experiment a's treatment adds 2 to revenue per
 * event within experiment b's control and v1, 8 within v2), counted a's units by b's group from the raw rows, tested
 * independence with scipy's chi2_contingency and the equality of a's effect across b's groups with Cochran's Q, and
 * wrote {@code expected.json}. Pulse over the same rows must agree: counts exactly, estimates to 1e-9, the rest to 1e-6.
 */
class InteractionsReferenceTest {
    private static final ExperimentName A = new ExperimentName("a");

    @TempDir
    Path temp;
    private Warehouse warehouse;

    /**
     * The data set's files, copied from the test classpath to {@code temp}: read where the tests run from another
     * module (the Spark engine-equivalence tests) or from a jar.
     */
    private Path data() throws java.io.IOException {
        Path folder = temp.resolve("interactions");
        Files.createDirectories(folder);
        for (String file : new String[] {"exposures.csv.gz", "events.csv.gz", "expected.json"}) {
            try (java.io.InputStream in = InteractionsReferenceTest.class.getResourceAsStream("/interactions/" + file)) {
                Files.copy(java.util.Objects.requireNonNull(in, file), folder.resolve(file),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return folder;
    }

    @BeforeEach
    void createData() throws java.io.IOException {
        Path data = data();
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("CREATE TABLE exposures AS SELECT * FROM read_csv('"
                + data.resolve("exposures.csv.gz").toAbsolutePath() + "', header = true, columns = {'user_id': 'BIGINT',"
                + " 'experiment': 'VARCHAR', 'grp': 'VARCHAR', 'ts': 'TIMESTAMP'})");
        warehouse.execute("CREATE TABLE events AS SELECT * FROM read_csv('"
                + data.resolve("events.csv.gz").toAbsolutePath() + "', header = true, columns = {'user_id': 'BIGINT',"
                + " 'ts': 'TIMESTAMP', 'revenue': 'DOUBLE'})");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    PulseConfig config() throws Exception {
        Path file = temp.resolve("pulse.yaml");
        Files.writeString(file, """
                sources:
                  exposures: {table: exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
                  events: {table: events, timestamp: ts, ids: {user_id: user_id}}
                metrics:
                  revenue: {type: sum, source: events, value: revenue}
                  revenue_per_event:
                    type: ratio
                    numerator: {source: events, agg: sum, value: revenue}
                    denominator: {source: events, agg: count}
                experiments:
                  a:
                    assignment: exposures
                    unit: user_id
                    control: control
                    groups: {control: 0.5, treatment: 0.5}
                    start: 2026-03-01
                    end: 2026-03-14
                    metrics: [revenue, revenue_per_event]
                    interactions: [b]
                  b:
                    assignment: exposures
                    unit: user_id
                    control: control
                    start: 2026-03-03
                    end: 2026-03-20
                    metrics: [revenue]
                """);
        return ConfigLoader.load(file);
    }

    @Test
    void countsIndependenceAndEffectsByTheOthersGroupsMatchTheReference() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(Files.readString(data().resolve("expected.json")));
        ExperimentResult result = Analyzer.analyze(config(), A, warehouse);
        assertEquals(1, result.interactions().size());
        ExperimentResult.Interaction interaction = result.interactions().get(0);
        assertEquals("b", interaction.experiment());
        for (Map.Entry<String, JsonNode> row : expected.get("units").properties()) {
            for (Map.Entry<String, JsonNode> cell : row.getValue().properties()) {
                assertEquals(cell.getValue().asLong(), interaction.units().get(row.getKey()).get(cell.getKey()),
                        row.getKey() + " / " + cell.getKey());
            }
        }
        assertEquals(List.of("control", "v1", "v2", InteractionScan.NOT_IN_EXPERIMENT),
                List.copyOf(interaction.units().get("control").keySet()));
        close(expected.get("chi_square"), interaction.assignments().orElseThrow().chiSquare(), 1e-9, "chi-square");
        assertEquals(expected.get("degrees_of_freedom").asInt(), interaction.assignments().orElseThrow().degreesOfFreedom());
        close(expected.get("p_value"), interaction.assignments().orElseThrow().pValue(), 1e-6, "p");
        assertFalse(interaction.assignmentsDependent());

        int flagged = 0;
        for (JsonNode effect : expected.get("effects")) {
            String metric = effect.get("metric").asText();
            ExperimentResult.InteractionEffect actual = interaction.effects().stream()
                    .filter(e -> e.metric().equals(metric) && e.group().equals("treatment")).findFirst().orElseThrow();
            for (Map.Entry<String, JsonNode> group : effect.get("by_group").properties()) {
                Comparison comparison = actual.byGroup().get(group.getKey());
                close(group.getValue().get("estimate"), comparison.absolute().estimate(), 1e-9, metric + " " + group.getKey());
                close(group.getValue().get("std_error"), comparison.absolute().stdError(), 1e-6, metric + " " + group.getKey());
            }
            close(effect.get("q"), actual.test().orElseThrow().chiSquare(), 1e-6, metric + " Q");
            assertEquals(effect.get("degrees_of_freedom").asInt(), actual.test().orElseThrow().degreesOfFreedom());
            close(effect.get("p_value"), actual.test().orElseThrow().pValue(), 1e-6, metric + " p");
            close(effect.get("adjusted_p_value"), actual.adjustedPValue(), 1e-6, metric + " adjusted p");
            assertEquals(effect.get("flagged").asBoolean(), actual.flagged(), metric);
            assertEquals(2, actual.familySize());
            flagged += actual.flagged() ? 1 : 0;
        }
        assertEquals(1, flagged, "the data set has one flagged and one unflagged interaction");
        // the breakdown by b's groups is not a dimension
        assertTrue(result.dimensions().isEmpty());
    }

    @Test
    void flaggedInteractionsReachTheWarningsTableAndJson() throws Exception {
        ExperimentResult result = Analyzer.analyze(config(), A, warehouse);
        assertTrue(result.warnings().stream().anyMatch(w -> w.startsWith("interaction with experiment 'b': the effect of"
                + " treatment on revenue_per_event differs across its groups (holm-corrected p = ")), result.warnings().toString());
        String table = ConsoleTable.experiments(List.of(result));
        assertTrue(table.contains("Interaction with experiment b"), table);
        assertTrue(table.lines().anyMatch(line -> line.startsWith("  !! revenue_per_event / treatment: control ")
                && line.contains("; effect differs across b's groups, holm-corrected p = ")), table);
        assertTrue(table.lines().anyMatch(line -> line.startsWith("  revenue / treatment: control ")
                && line.contains("; no evidence the effect differs across b's groups")), table);
        JsonNode json = new ObjectMapper().readTree(JsonOutput.experiments(List.of(result))).get("experiments").get(0);
        JsonNode interaction = json.get("interactions").get(0);
        assertEquals("b", interaction.get("experiment").asText());
        assertTrue(interaction.get("assignments").has("p_value"));
        assertTrue(interaction.get("effects").get(1).get("flagged").asBoolean());
        assertTrue(interaction.get("effects").get(1).get("by_group").get("v2").get("absolute").has("std_error"));
        String html = dev.pulse.output.html.HtmlReport.render(List.of(result));
        assertTrue(html.contains("<h3>Interactions with other experiments</h3>")
                && html.contains("<caption>With experiment b: ") && html.contains("<span class=\"flag\">differs</span>"), html);
    }

    private static void close(JsonNode expected, Double actual, double relative, String where) {
        assertTrue(actual != null, where + ": null");
        double e = expected.asDouble();
        assertTrue(Math.abs(e - actual) <= relative * Math.max(1.0, Math.abs(e)), where + ": " + e + " vs " + actual);
    }
}
