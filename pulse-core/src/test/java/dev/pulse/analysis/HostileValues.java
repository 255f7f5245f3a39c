package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.sql.TableStatements;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group and dimension values that would break out of a string literal, on any engine: a data set whose group
 * names (read from the exposures, not listed in the config) and dimension values are hostile, and the same
 * data set with plain names ({@code g0}, {@code g1}, …) in their place. Analysed on one engine, both must give
 * the same results once the plain names are mapped back — every number of the JSON, percentile metrics per
 * dimension value and daily results included — which can only hold when the hostile names reach every
 * statement as data. The injected SQL would write {@link #marker} or drop the sentinel table; the engine's
 * test checks that neither happened.
 *
 * <p>The data: orgs 1–{@value #ORGS}, org o in group {@code names[o mod 8]} (the first is {@code control}),
 * exposed 2026-03-01 at (o mod 3) hours, country {@code names[1 + v]} for the v-th block of orgs (blocks of
 * 16, 20, 24, … orgs, so every value has its own unit count); (o mod 4) + 1 events a day apart with latency
 * (37·o + 11·j) mod 19 + j, one more event per org after the end.
 */
final class HostileValues {
    static final int ORGS = 16 + 20 + 24 + 28 + 32 + 36 + 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileValues() {}

    /**
     * Eight names: {@code control}, then seven that break out of a literal somewhere — quoting doubled but a
     * backslash read as an escape (PostgreSQL with {@code standard_conforming_strings = off}, Spark), a trailing
     * backslash, a NUL (which truncates a C string; only where {@code nul}), quotes, dollar quotes, a parameter
     * marker and non-ASCII text.
     */
    static List<String> names(Path marker, boolean nul) {
        return List.of(
                "control",
                "x'); COPY (SELECT 1) TO '" + marker + "'; --",
                "x\\'); DROP TABLE pulse_sentinel; --",
                "ends in a backslash \\",
                nul ? "nul\u0000byte" : "no nul byte",
                "it's \"quoted\" '' `back` ?",
                "$$ $tag$ dollar $1",
                "ünïcødé Ω 🚀 \t tab");
    }

    /** The plain stand-ins, {@code control} kept. */
    static List<String> plainNames() {
        return List.of("control", "g1", "g2", "g3", "g4", "g5", "g6", "g7");
    }

    /** The tables {@code exposures} and {@code events}, with {@code names}, in DuckDB (values bound, never SQL text). */
    static void createTables(Warehouse duckDb, List<String> names) {
        List<List<Object>> exposures = new ArrayList<>();
        List<List<Object>> events = new ArrayList<>();
        int[] blocks = {16, 20, 24, 28, 32, 36, 40};
        int org = 0;
        for (int v = 0; v < blocks.length; v++) {
            for (int k = 0; k < blocks[v]; k++) {
                org++;
                LocalDateTime exposed = LocalDateTime.of(2026, 3, 1, org % 3, 0);
                exposures.add(Arrays.asList("exp", names.get(org % 8), (long) org, exposed, names.get(1 + v)));
                for (int j = 0; j <= org % 4; j++) {
                    events.add(Arrays.asList((long) org, exposed.plusHours(1).plusDays(j), (double) ((37 * org + 11 * j) % 19 + j)));
                }
                events.add(Arrays.asList((long) org, LocalDateTime.of(2026, 3, 9, 0, 0), 1000.0));
            }
        }
        duckDb.transaction(transaction -> {
            transaction.execute("CREATE TABLE exposures (exp_name VARCHAR, variant VARCHAR, org BIGINT, ts TIMESTAMP, country VARCHAR)");
            transaction.execute("CREATE TABLE events (org BIGINT, ts TIMESTAMP, latency DOUBLE)");
            transaction.executeBatch("INSERT INTO exposures VALUES (?, ?, ?, ?, ?)", exposures);
            transaction.executeBatch("INSERT INTO events VALUES (?, ?, ?)", events);
        });
    }

    /** The columns of the two tables, for copying them to another engine. */
    static Map<String, List<TableStatements.Column>> columns() {
        Map<String, List<TableStatements.Column>> columns = new LinkedHashMap<>();
        columns.put("exposures", List.of(new TableStatements.Column("exp_name", TableStatements.ColumnType.TEXT),
                new TableStatements.Column("variant", TableStatements.ColumnType.TEXT),
                new TableStatements.Column("org", TableStatements.ColumnType.BIGINT),
                new TableStatements.Column("ts", TableStatements.ColumnType.TIMESTAMP),
                new TableStatements.Column("country", TableStatements.ColumnType.TEXT)));
        columns.put("events", List.of(new TableStatements.Column("org", TableStatements.ColumnType.BIGINT),
                new TableStatements.Column("ts", TableStatements.ColumnType.TIMESTAMP),
                new TableStatements.Column("latency", TableStatements.ColumnType.DOUBLE)));
        return columns;
    }

    /** Copies both tables from DuckDB to {@code to}. */
    static void copy(Warehouse duckDb, Warehouse to) {
        columns().forEach((table, columns) ->
                TableCopy.copy(duckDb, new TableName(List.of(table)), to, new TableName(List.of(table)), columns));
    }

    /**
     * The experiment {@code exp}: groups as found in the data (control {@code control}), the median latency
     * (a percentile metric) and the event count, per country, with daily results, over {@code warehouse}.
     */
    static PulseConfig config(Path folder, WarehouseConfig warehouse) throws IOException {
        Path file = folder.resolve("hostile.yaml");
        Files.writeString(file, """
                warehouse: {engine: duckdb}
                sources:
                  exposures: {table: exposures, timestamp: ts, ids: {org_id: org}, experiment: exp_name, group: variant}
                  events: {table: events, timestamp: ts, ids: {org_id: org}}
                metrics:
                  median_latency: {type: percentile, source: events, value: latency, percentile: 0.5}
                  events: {type: count, source: events}
                experiments:
                  exp:
                    assignment: exposures
                    unit: org_id
                    control: control
                    start: 2026-03-01
                    end: 2026-03-05
                    metrics: [median_latency, events]
                    dimensions: [country]
                    timeseries: true
                """);
        PulseConfig config = ConfigLoader.load(file);
        return new PulseConfig(config.file(), warehouse, config.sources(), config.metrics(), config.experiments());
    }

    /** The JSON results of {@code exp}. */
    static JsonNode analyze(PulseConfig config, Warehouse warehouse) throws IOException {
        return JSON.readTree(JsonOutput.experiments(List.of(Analyzer.analyze(config, new ExperimentName("exp"), warehouse))));
    }

    /**
     * Asserts that {@code hostile} (the results over the hostile names) is {@code plain} (over the plain names)
     * once each hostile name is replaced by its stand-in, arrays compared regardless of order (engines sort names
     * by their collation), numbers to 1e-9 relative. Also that every hostile name is in the results, intact.
     */
    static void assertSameResults(JsonNode plain, JsonNode hostile, List<String> names) {
        String text = hostile.toString();
        for (String name : names) {
            assertTrue(text.contains(JSON.valueToTree(name).toString()), "the group or value " + JSON.valueToTree(name)
                    + " is not in the results: " + text);
        }
        JsonNode mapped = canonical(rename(hostile, names));
        EngineEquivalenceTest.assertEquivalent(canonical(plain), mapped, "$");
        assertFalse(plain.toString().isEmpty());
        assertEquals(8, hostile.get("experiments").get(0).get("groups").size(), text);
    }

    /** {@code node} with every hostile name, wherever it occurs in a text, replaced by its stand-in. */
    private static JsonNode rename(JsonNode node, List<String> names) {
        if (node.isTextual()) {
            String text = node.asText();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt((Integer i) -> names.get(i).length()).reversed());
            for (int i : order) {
                text = text.replace(names.get(i), plainNames().get(i));
            }
            return TextNode.valueOf(text);
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(field -> copy.set(field.getKey(), rename(field.getValue(), names)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(rename(element, names)));
            return copy;
        }
        return node;
    }

    /** Arrays of objects sorted by their text fields, recursively: the order engines return names in does not matter. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(field -> copy.set(field.getKey(), canonical(field.getValue())));
            return copy;
        }
        if (node.isArray()) {
            List<JsonNode> elements = new ArrayList<>();
            node.forEach(element -> elements.add(canonical(element)));
            elements.sort(Comparator.comparing(HostileValues::textKey));
            ArrayNode copy = JSON.createArrayNode();
            elements.forEach(copy::add);
            return copy;
        }
        return node;
    }

    private static String textKey(JsonNode node) {
        if (!node.isObject()) {
            return node.isTextual() ? node.asText() : "";
        }
        StringBuilder key = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isTextual()) {
                key.append(field.getKey()).append('=').append(field.getValue().asText()).append('\u0001');
            }
        }
        return key.toString();
    }

    /** A DuckDB warehouse in memory with both tables over {@code names}. */
    static Warehouse duckDb(List<String> names) {
        Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        createTables(warehouse, names);
        return warehouse;
    }
}
