package dev.pulse.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.analysis.AnalysisRun;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.IncrementalSimulationTest;
import dev.pulse.analysis.IncrementalRefresh;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.Planner;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's pruning proofs: a refresh's scans read only the days it reads again, shown by each engine's own plan.
 * The state is built by a refresh on days 0–26 of a 28-day experiment; day 27's rows then arrive, and the scans of the
 * day-27 refresh (days 25–27 with the 2-day lookback) are explained next to a full run's.
 */
class IncrementalPruningTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    @TempDir
    Path folder;

    private static String config(String events, String exposures) {
        return """
                sources:
                  events: {%s, timestamp: ts, ids: {unit_id: unit_id}}
                  exposures: {%s, timestamp: exposed_at, ids: {unit_id: unit_id}, experiment: exp_name, group: variant}
                metrics:
                  revenue: {type: sum, source: events, value: revenue}
                  buyers: {type: count_distinct, source: events, value: user_id}
                experiments:
                  exp:
                    assignment: exposures
                    unit: unit_id
                    control: control
                    groups: [control, treatment]
                    start: 2026-03-01
                    end: 2026-03-28
                    metrics: [revenue, buyers]
                """.formatted(events, exposures);
    }

    private PulseConfig load(String text, WarehouseConfig warehouse) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, text);
        PulseConfig base = ConfigLoader.load(file);
        return new PulseConfig(base.file(), warehouse, base.sources(), base.metrics(), base.experiments());
    }

    /** Rows of days {@code from}..{@code to} (0 = 2026-03-01; the week before the start too), 500 per day. */
    private static String rows(int from, int to) {
        return "SELECT i % 400 AS unit_id, (i % 400) * 10 + i % 7 AS user_id,"
                + " TIMESTAMP '2026-03-01' + to_seconds(CAST((i / 500 + " + from + ") * 86400 + (i % 500) * 170 AS BIGINT)) AS ts,"
                + " CAST(TIMESTAMP '2026-03-01' + to_seconds(CAST((i / 500 + " + from + ") * 86400 AS BIGINT)) AS DATE) AS date,"
                + " CAST(i % 13 AS DOUBLE) AS revenue FROM range(" + (to - from + 1) * 500 + ") t(i)";
    }

    private static String exposures() {
        return "SELECT u AS unit_id, TIMESTAMP '2026-03-01' + to_seconds(CAST(u % 20 * 86400 + u AS BIGINT)) AS exposed_at,"
                + " CAST(TIMESTAMP '2026-03-01' + to_seconds(CAST(u % 20 * 86400 AS BIGINT)) AS DATE) AS date,"
                + " 'exp' AS exp_name, CASE WHEN u % 2 = 0 THEN 'control' ELSE 'treatment' END AS variant FROM range(400) t(u)";
    }

    /**
     * DuckDB over Hive-partitioned Parquet ({@code events/date=2026-03-05/…}): with {@code date_partition} the
     * refresh's scan reads the files of its days only (the physical plan's "Total Files Read"), where a full run's
     * reads every file; by the timestamp alone DuckDB still skips the other days' row groups by their statistics.
     */
    @Test
    void duckDbReadsOnlyTheNewDaysFilesOfAHivePartitionedSource() throws IOException {
        Path events = folder.resolve("events");
        Path exposures = folder.resolve("exposures");
        PulseConfig partitioned = load(config(
                "path: '" + events + "/*/*.parquet', date_partition: date",
                "path: '" + exposures + "/*/*.parquet', date_partition: date"), WarehouseConfig.inMemoryDuckDb());
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            warehouse.execute("COPY (" + rows(-7, 26) + ") TO '" + events + "' (FORMAT parquet, PARTITION_BY (date))");
            warehouse.execute("COPY (" + exposures() + ") TO '" + exposures + "' (FORMAT parquet, PARTITION_BY (date))");
            refresh(partitioned, warehouse);
            Files.createDirectories(events.resolve("date=2026-03-28"));
            warehouse.execute("COPY (" + rows(27, 27) + ") TO '" + events + "/date=2026-03-28/data_0.parquet' (FORMAT parquet)");
            ExperimentPlan plan = Planner.plan(partitioned, EXP);
            IncrementalSql sql = IncrementalSql.of(Dialects.forEngine(warehouse.engine()));
            StateTables state = IncrementalRefresh.state(partitioned, EXP);
            var refreshScan = sql.passParts(plan, plan.passes().get(0), state, Optional.of(new IncrementalSql.Bounds(25)));
            String refreshPlan = explain(warehouse, refreshScan);
            String fullPlan = explain(warehouse, SqlRenderer.of(Dialects.forEngine(warehouse.engine())).render(plan));
            // days 25-27 and the day before (the partition dates are widened by a day): 4 of the 35 files
            assertEquals(List.of(4), number(refreshPlan, "Total Files Read: (\\d+)"), refreshPlan);
            assertTrue(number(fullPlan, "Total Files Read: (\\d+)").contains(29), fullPlan);

            // the scan's hash join is built on the state's units (DuckDB's estimate of the filtered Parquet scan, one
            // row, would build it on the events' rows)
            Dialect duckDb = Dialects.forEngine(warehouse.engine());
            assertEquals("pulse_state_exp__units", buildSide(warehouse, duckDb, refreshScan), refreshScan);

            // the pass's two state tables (its sum and its distinct count) come from one scan of the events, staged
            List<String> replace = sql.replaceParts(plan, state, 25, new IncrementalSql.Bounds(25), Optional.of(27));
            assertEquals(1, replace.stream().filter(statement -> statement.contains("read_parquet('" + events)).count(),
                    String.join("\n;\n", replace));

            // the timestamp alone: every file's footer is read, but only the row groups of the days read again
            PulseConfig plain = load(config("path: '" + events + "/*/*.parquet'", "path: '" + exposures + "/*/*.parquet'"),
                    WarehouseConfig.inMemoryDuckDb());
            ExperimentPlan plainPlan = Planner.plan(plain, EXP);
            String byTimestamp = explain(warehouse, sql.passParts(plainPlan, plainPlan.passes().get(0), state,
                    Optional.of(new IncrementalSql.Bounds(25))));
            assertEquals(List.of(35), number(byTimestamp, "Total Files Read: (\\d+)"), byTimestamp);
            // one row group per file: the events scan skips all but the days' read again (3, and DuckDB reads the
            // group of the day before too, whose statistics reach the bound); the state's units are a table
            Matcher groups = Pattern.compile("Row Groups Scanned: (\\d+) / 35\\b").matcher(byTimestamp);
            assertTrue(groups.find(), byTimestamp);
            assertTrue(Integer.parseInt(groups.group(1)) <= 4, byTimestamp);

            // the history check reads each Parquet file's rows and least timestamp from its footer, no row
            IncrementalSql.RowCount eventCounts = sql.rowCounts(plan).get(1);
            assertTrue(eventCounts.perFile(), eventCounts.toString());
            String counts = explain(warehouse, eventCounts.sql());
            assertTrue(counts.contains("PARQUET_METADATA") && !counts.contains("READ_PARQUET"), counts);
            assertEquals(35, warehouse.query(eventCounts.sql()).rows().size(), "one row per file");

            // a late file for an old day: the refresh reads again from that file's first day, and gives a full run's
            // numbers
            refresh(partitioned, warehouse);
            Files.createDirectories(events.resolve("date=2026-03-05"));
            warehouse.execute("COPY (SELECT * FROM (" + rows(4, 4) + ") WHERE unit_id < 50) TO '" + events
                    + "/date=2026-03-05/late.parquet' (FORMAT parquet)");
            List<ExperimentResult> refreshed = refresh(partitioned, warehouse);
            String summary = refreshed.get(0).warnings().get(0);
            assertTrue(summary.contains("rows changed on 2026-03-05, before the 2-day lookback"), summary);
            List<ExperimentResult> full = AnalysisRun.of(partitioned, List.of(EXP)).run(warehouse, phase -> { });
            assertEquals(List.of(), IncrementalSimulationTest.difference(IncrementalSimulationTest.json(refreshed),
                    IncrementalSimulationTest.json(full)));
        }
    }

    /**
     * A misspelt date_partition column fails the refresh (exit 3) and writes no state; a full run's message names the
     * source and the column.
     */
    @Test
    void aMissingDatePartitionColumnIsNamed() throws IOException {
        Path events = folder.resolve("events");
        Path exposures = folder.resolve("exposures");
        PulseConfig misspelt = load(config("path: '" + events + "/*/*.parquet', date_partition: dte",
                "path: '" + exposures + "/*/*.parquet'"), WarehouseConfig.inMemoryDuckDb());
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            warehouse.execute("COPY (" + rows(-7, 26) + ") TO '" + events + "' (FORMAT parquet, PARTITION_BY (date))");
            warehouse.execute("COPY (" + exposures() + ") TO '" + exposures + "' (FORMAT parquet, PARTITION_BY (date))");
            dev.pulse.error.PulseException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.pulse.error.PulseException.class, () -> refresh(misspelt, warehouse));
            assertEquals(dev.pulse.error.PulseException.Category.WAREHOUSE_FAILED, e.category());
            // a full run probes the sources after the failure and names the culprit
            dev.pulse.error.PulseException full = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.pulse.error.PulseException.class,
                    () -> AnalysisRun.of(misspelt, List.of(EXP)).run(warehouse, phase -> { }));
            assertTrue(full.getMessage().contains("source 'events'") && full.getMessage().contains("dte"), full.getMessage());
            assertEquals(0L, warehouse.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name LIKE"
                    + " 'pulse_state_%'").rows().get(0).getLong("n"), "no state table written");
        }
    }

    /** PostgreSQL with an index on the timestamp: the refresh's scan is an index range scan of its days' rows. */
    @Test
    void postgresReadsOnlyTheNewDaysThroughATimestampIndex() throws IOException {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_pruning")) {
            Warehouse warehouse = schema.warehouse();
            warehouse.execute("CREATE TABLE events (unit_id BIGINT, user_id BIGINT, ts TIMESTAMP, revenue DOUBLE PRECISION)");
            warehouse.execute("CREATE TABLE exposures (unit_id BIGINT, exposed_at TIMESTAMP, exp_name TEXT, variant TEXT)");
            warehouse.execute("INSERT INTO events SELECT i % 400, (i % 400) * 10 + i % 7,"
                    + " TIMESTAMP '2026-02-22' + (i / 500) * INTERVAL '1 day' + (i % 500) * INTERVAL '170 seconds', i % 13"
                    + " FROM generate_series(0, 35 * 500 - 1) AS i");
            warehouse.execute("INSERT INTO exposures SELECT u, TIMESTAMP '2026-03-01' + (u % 20) * INTERVAL '1 day'"
                    + " + u * INTERVAL '1 second', 'exp', CASE WHEN u % 2 = 0 THEN 'control' ELSE 'treatment' END"
                    + " FROM generate_series(0, 399) AS u");
            warehouse.execute("CREATE INDEX events_ts ON events (ts)");
            // a user's table named like the staged rows: the refresh's temporary table never touches it
            warehouse.execute("CREATE TABLE pulse_staged_pass0 (kept INTEGER)");
            warehouse.execute("ANALYZE events");
            warehouse.execute("ANALYZE exposures");
            PulseConfig config = load(config("table: events", "table: exposures"), TestPostgres.config());
            refresh(config, warehouse);
            ExperimentPlan plan = Planner.plan(config, EXP);
            IncrementalSql sql = IncrementalSql.of(Dialects.forEngine(warehouse.engine()));
            String refreshScan = sql.passParts(plan, plan.passes().get(0), IncrementalRefresh.state(config, EXP),
                    Optional.of(new IncrementalSql.Bounds(25)));
            JsonNode refreshPlan = pgPlan(warehouse, refreshScan);
            JsonNode fullPlan = pgPlan(warehouse, SqlRenderer.of(Dialects.forEngine(warehouse.engine())).render(plan));
            long refreshRows = rowsRead(refreshPlan, "events");
            long fullRows = rowsRead(fullPlan, "events");
            assertTrue(refreshPlan.toString().contains("events_ts"), "an index scan: " + refreshPlan);
            assertEquals(3 * 500, refreshRows, refreshPlan.toString());
            assertEquals(28 * 500, fullRows, fullPlan.toString());
            refresh(config, warehouse);
            assertEquals(0L, warehouse.query("SELECT COUNT(*) AS n FROM pulse_staged_pass0").rows().get(0).getLong("n"));
        }
    }

    private static List<ExperimentResult> refresh(PulseConfig config, Warehouse warehouse) {
        return AnalysisRun.of(config, List.of(EXP)).withIncremental(IncrementalRefresh.Settings.defaults())
                .run(warehouse, phase -> { });
    }

    private static String explain(Warehouse warehouse, String select) {
        StringBuilder text = new StringBuilder();
        warehouse.query("EXPLAIN ANALYZE " + select).rows().forEach(row -> text.append(row.getString("explain_value")).append('\n'));
        return text.toString();
    }

    /**
     * What the build side (the right child) of {@code select}'s hash join scans, its statement run as
     * {@link Dialect#unitsAsBuildSide} runs it: the table's name, or the function of a file scan.
     */
    private static String buildSide(Warehouse warehouse, Dialect dialect, String select) throws IOException {
        String explain = "EXPLAIN (FORMAT json) " + select;
        List<String> statements = dialect.unitsAsBuildSide(List.of(explain));
        JsonNode plan = null;
        for (String statement : statements) {
            if (statement.equals(explain)) {
                plan = new ObjectMapper().readTree(warehouse.query(statement).rows().get(0).getString("explain_value"));
            } else {
                warehouse.execute(statement);
            }
        }
        JsonNode join = find(plan, "HASH_JOIN");
        assertTrue(join != null && join.get("children").size() == 2, String.valueOf(plan));
        JsonNode scan = find(join.get("children").get(1), "SEQ_SCAN");
        scan = scan != null ? scan : find(join.get("children").get(1), "TABLE_SCAN");
        assertTrue(scan != null, join.toString());
        JsonNode info = scan.get("extra_info");
        return info.has("Table") ? info.get("Table").asText().replaceAll(".*\\.", "") : info.path("Function").asText();
    }

    private static JsonNode find(JsonNode node, String name) {
        if (node == null) {
            return null;
        }
        if (node.isObject() && name.equals(node.path("name").asText())) {
            return node;
        }
        for (JsonNode child : node.isObject() ? node.path("children") : node) {
            JsonNode found = find(child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static List<Integer> number(String plan, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(plan);
        List<Integer> numbers = new java.util.ArrayList<>();
        while (matcher.find()) {
            numbers.add(Integer.parseInt(matcher.group(1).replace(",", "")));
        }
        return numbers;
    }

    private static JsonNode pgPlan(Warehouse warehouse, String select) throws IOException {
        String json = warehouse.query("EXPLAIN (ANALYZE, FORMAT JSON) " + select).rows().get(0).values().values().iterator().next().toString();
        return new ObjectMapper().readTree(json);
    }

    /** The rows the plan's scans of {@code table} returned, over all its nodes. */
    private static long rowsRead(JsonNode node, String table) {
        long rows = 0;
        if (node.isObject() && table.equals(node.path("Relation Name").asText()) && node.has("Actual Rows")) {
            rows += node.get("Actual Rows").asLong() * Math.max(1, node.path("Actual Loops").asLong(1));
        }
        for (JsonNode child : node) {
            rows += rowsRead(child, table);
        }
        return rows;
    }
}
