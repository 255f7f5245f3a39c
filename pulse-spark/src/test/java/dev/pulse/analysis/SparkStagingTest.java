package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.TestModel;
import dev.pulse.spark.SparkWarehouse;
import dev.pulse.spark.TestSpark;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.SparkDialect;
import dev.pulse.sql.StagingColumns;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging table on Spark ({@code --materialize}; docs/spark.md): a Parquet table built beside the old one as
 * {@code …__pulse_new_<run>} and renamed over it. The fixture is {@link StagingTest}'s trap data (every trap of
 * docs/concepts.md, winsorization, CUPED), copied from DuckDB to Parquet and read by Spark as temporary views of
 * the same names.
 */
class SparkStagingTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final String TABLE = "pulse_staging_exp";
    /** The table {@link #theEmptyNewTableReadsNoRows} builds (run {@code t1}). */
    private static final String NEW_TABLE = TABLE + "__pulse_new_t1";

    @TempDir
    static Path folder;
    private static Warehouse duckDb;
    private static SparkWarehouse spark;
    private static SparkSession session;

    @BeforeAll
    static void copyData() {
        duckDb = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        StagingTest.createData(duckDb);
        session = TestSpark.session();
        spark = TestSpark.warehouse();
        for (String name : List.of("exposures", "events")) {
            Path file = folder.resolve(name + ".parquet");
            duckDb.execute("COPY " + name + " TO '" + file + "' (FORMAT PARQUET)");
            spark.execute("CREATE OR REPLACE TEMPORARY VIEW `" + name + "` AS SELECT * FROM parquet.`" + file + "`");
        }
    }

    @AfterAll
    static void close() {
        duckDb.close();
    }

    @BeforeEach
    void dropTables() {
        session.sql("DROP TABLE IF EXISTS " + TABLE);
        for (String table : builtTables()) {
            session.sql("DROP TABLE IF EXISTS " + table);
        }
    }

    /** The tables runs build beside the staging table ({@code …__pulse_new_<run>}) that are in the catalog. */
    private static List<String> builtTables() {
        return session.sql("SHOW TABLES LIKE '" + TABLE + "__pulse_new_*'").collectAsList().stream()
                .map(row -> row.getString(row.fieldIndex("tableName"))).filter(name -> name.startsWith(TABLE)).toList();
    }

    private static PulseConfig sparkConfig(boolean cuped) {
        return StagingTest.config(cuped, WarehouseConfig.spark(SparkSettings.FROM_SUBMIT));
    }

    /** Every row of a table, ordered by unit, each value as both engines' warehouses hand it over. */
    private static List<List<Object>> rows(Warehouse warehouse, String table) {
        List<List<Object>> rows = new ArrayList<>();
        warehouse.forEachBatch("SELECT * FROM " + table + " ORDER BY unit_id", 100, rows::addAll);
        return rows;
    }

    private static List<String> columns(Warehouse warehouse, String table) {
        return warehouse.query("SELECT * FROM " + table + " LIMIT 0").columns();
    }

    @Test
    void theRowsAreDuckDbsRows() {
        for (boolean cuped : new boolean[] {false, true}) {
            String what = cuped ? " (cuped)" : "";
            Staging.write(StagingTest.config(cuped, WarehouseConfig.inMemoryDuckDb()), EXP, duckDb);
            assertEquals(new TableName(List.of(TABLE)), Staging.write(sparkConfig(cuped), EXP, spark));
            List<String> columns = columns(duckDb, TABLE);
            assertEquals(columns, columns(spark, TABLE), what);
            assertEquals(cuped, columns.contains(StagingColumns.prePeriod(StagingColumns.numerator(new MetricName("revenue")))));
            List<List<Object>> expected = rows(duckDb, TABLE);
            List<List<Object>> actual = rows(spark, TABLE);
            assertEquals(6, expected.size());
            assertEquals(expected.size(), actual.size(), what);
            for (int row = 0; row < expected.size(); row++) {
                for (int column = 0; column < columns.size(); column++) {
                    Object want = expected.get(row).get(column);
                    Object got = actual.get(row).get(column);
                    String cell = "row " + row + " " + columns.get(column) + what;
                    if (want instanceof Number number && !columns.get(column).equals("unit_id")) {
                        assertClose(number.doubleValue(), ((Number) got).doubleValue(), cell);
                    } else if (want instanceof Number number) {
                        assertEquals(number.longValue(), ((Number) got).longValue(), cell);
                    } else {
                        assertEquals(want, got, cell);
                    }
                }
            }
            assertTrue(session.catalog().tableExists(TABLE));
            assertEquals(List.of(), builtTables(), "the new table was renamed, not left beside");
        }
    }

    @Test
    void momentsRecomputedFromTheStagingTableEqualTheExperiments() {
        for (boolean cuped : new boolean[] {false, true}) {
            PulseConfig config = sparkConfig(cuped);
            Staging.write(config, EXP, spark);
            ExperimentData data = MomentsFetcher.fetch(config, EXP, spark);
            List<MetricName> metrics = config.experiment(EXP).metrics();
            // one query for every metric's moments: a Spark query takes seconds on a busy machine
            List<String> aggregates = new ArrayList<>();
            for (MetricName metric : metrics) {
                String x = quote(StagingColumns.numerator(metric));
                String y = config.metric(metric).denominator().isPresent()
                        ? quote(StagingColumns.denominator(metric, config.metric(metric).type())) : "1.0D";
                String x0 = cuped ? quote(StagingColumns.prePeriod(StagingColumns.numerator(metric))) : "0.0D";
                aggregates.add("AVG(%1$s), AVG(%2$s), VAR_SAMP(%1$s), VAR_SAMP(%2$s), COVAR_SAMP(%1$s, %2$s), AVG(%3$s), "
                        .formatted(x, y, x0) + "COVAR_SAMP(%1$s, %2$s)".formatted(x, x0));
            }
            List<Row> rows = session.sql("SELECT group_name, COUNT(*), " + String.join(", ", aggregates) + " FROM " + TABLE
                    + " GROUP BY group_name ORDER BY group_name").collectAsList();
            assertEquals(2, rows.size());
            for (Row row : rows) {
                String group = row.getString(0);
                for (int m = 0; m < metrics.size(); m++) {
                    MetricName metric = metrics.get(m);
                    int at = 2 + 7 * m;
                    String what = metric + " " + group + (cuped ? " (cuped)" : "");
                    // Pulse's moments are of X − c·Y (docs/statistics.md): brought back to X for the comparison
                    GroupMoments expected = data.moments().get(metric).get(group).withShift(0);
                    assertEquals(expected.n(), row.getLong(1), what);
                    assertClose(expected.meanX(), row.getDouble(at), what + " mean x");
                    assertClose(expected.meanY(), row.getDouble(at + 1), what + " mean y");
                    assertClose(expected.varX(), row.getDouble(at + 2), what + " var x");
                    if (config.metric(metric).denominator().isPresent()) {
                        assertClose(expected.varY(), row.getDouble(at + 3), what + " var y");
                        assertClose(expected.covXY(), row.getDouble(at + 4), what + " cov xy");
                    }
                    if (cuped) {
                        CovariateMoments covariate = data.covariates().get(metric).get(group).withShifts(0, 0);
                        assertClose(covariate.pre().meanX(), row.getDouble(at + 5), what + " mean x0");
                        assertClose(covariate.covXX0(), row.getDouble(at + 6), what + " cov xx0");
                    }
                }
            }
        }
    }

    /** The new table is created empty from the query without running it: LIMIT 0 becomes an empty relation. */
    @Test
    void theEmptyNewTableReadsNoRows() {
        TableStatements.Replacement replacement = TableStatements.of(SparkDialect.DEFAULT).replaceTable(
                new TableName(List.of(TABLE)), "SELECT CASE WHEN id >= 0 THEN raise_error('a row was read') END AS x FROM range(10)",
                "t1");
        assertEquals(3, replacement.build().size());
        spark.execute(replacement.build().get(0));
        spark.execute(replacement.build().get(1));
        assertEquals(0, session.table(NEW_TABLE).count());
        PulseException failure = assertThrows(PulseException.class, () -> spark.execute(replacement.build().get(2)));
        assertTrue(failure.getMessage().contains("a row was read"), failure.getMessage());
    }

    @Test
    void aRerunReplacesTheTable() {
        Staging.write(sparkConfig(false), EXP, spark);
        List<List<Object>> first = rows(spark, TABLE);
        Staging.write(sparkConfig(false), EXP, spark);
        assertEquals(first, rows(spark, TABLE), "the same data give the same rows");
        assertEquals(List.of(), builtTables());

        // new data: org 3's events gone, and the table takes the CUPED columns of the new config
        spark.execute("CREATE OR REPLACE TEMPORARY VIEW events_without_3 AS SELECT * FROM events WHERE org <> 3");
        Staging.write(withEvents(sparkConfig(true), "events_without_3"), EXP, spark);
        assertEquals(0.0, session.sql("SELECT revenue__numerator FROM " + TABLE + " WHERE unit_id = 3").first().getDouble(0));
        assertEquals(6, session.table(TABLE).count());
        assertTrue(columns(spark, TABLE).contains("revenue__numerator_pre"), columns(spark, TABLE).toString());
        assertEquals(List.of(), builtTables());
    }

    @Test
    void aFailureWhileBuildingLeavesTheOldTableAndTheNextRunCleansUp() throws Exception {
        Staging.write(sparkConfig(false), EXP, spark);
        List<List<Object>> before = rows(spark, TABLE);

        // a metric that raises while Spark writes the new table's rows (org 3 has counted revenue)
        Map<MetricName, Metric> metrics = new LinkedHashMap<>(sparkConfig(false).metrics());
        metrics.put(new MetricName("revenue"), TestModel.sum("revenue", "events",
                "CASE WHEN org = 3 THEN raise_error('boom at org 3') ELSE revenue END", null));
        PulseConfig raising = new PulseConfig(sparkConfig(false).file(), sparkConfig(false).warehouse(),
                sparkConfig(false).sources(), metrics, sparkConfig(false).experiments());
        PulseException failure = assertThrows(PulseException.class, () -> Staging.write(raising, EXP, spark));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().startsWith("experiment 'exp': cannot write staging table " + TABLE
                + " (the previous one is left as it was): "), failure.getMessage());
        assertTrue(failure.getMessage().contains("boom at org 3"), failure.getMessage());
        assertEquals(before, rows(spark, TABLE));
        // the failed run dropped the table it was building
        assertEquals(List.of(), builtTables());

        // a driver killed while writing the rows leaves its table, stray files and all, under its own run's name
        String killed = TABLE + "__pulse_new_killed";
        session.sql("CREATE TABLE " + killed + " USING parquet AS SELECT 1 AS x");
        Path location = Path.of(URI.create(session.sql("DESCRIBE TABLE EXTENDED " + killed)
                .where("col_name = 'Location'").first().getString(1)));
        Files.createDirectories(location.resolve("_temporary"));
        Files.writeString(location.resolve("_temporary").resolve("part-00000"), "half a file");

        // a source that is missing: refused before anything is written
        failure = assertThrows(PulseException.class, () -> Staging.write(withEvents(sparkConfig(false), "no_such_events"), EXP, spark));
        assertTrue(failure.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), failure.getMessage());
        assertEquals(before, rows(spark, TABLE));

        // the next run is not blocked by the leftover, which stays (it may be another run's, being filled)
        Staging.write(sparkConfig(false), EXP, spark);
        assertEquals(before, rows(spark, TABLE));
        assertEquals(List.of(killed), builtTables());
    }

    /**
     * Two runs writing the staging table at once (two threads on one session, as two drivers on one catalog): each
     * builds its own table, so the table ends up with one run's rows — never both, never half — and a run either
     * succeeds or fails on its swap naming its own table. With one shared name the second run's first DROP removed
     * the first run's table while it was being filled.
     */
    @Test
    void twoRunsAtOnceLeaveOneRunsRows() throws Exception {
        Staging.write(sparkConfig(false), EXP, spark);
        List<List<Object>> expected = rows(spark, TABLE);
        for (int round = 0; round < 3; round++) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<String>> runs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    runs.add(pool.submit(() -> {
                        try {
                            Staging.write(sparkConfig(false), EXP, spark);
                            return "ok";
                        } catch (PulseException e) {
                            return e.getMessage();
                        }
                    }));
                }
                for (java.util.concurrent.Future<String> run : runs) {
                    String outcome = run.get(5, java.util.concurrent.TimeUnit.MINUTES);
                    assertTrue(outcome.equals("ok") || (outcome.contains("(its new rows are in " + TABLE + "__pulse_new_")
                            && outcome.contains("the previous table may be gone")), outcome);
                }
            } finally {
                pool.shutdown();
            }
            // the swap that comes second either replaced the first one's table or failed: a table is there
            assertEquals(expected, rows(spark, TABLE), "round " + round);
            for (String table : builtTables()) {
                session.sql("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Test
    void theStagingSchemaIsADatabaseCreatedWhenMissing() {
        session.sql("DROP DATABASE IF EXISTS pulse_audit CASCADE");
        PulseConfig config = StagingTest.config(false, WarehouseConfig.spark(SparkSettings.FROM_SUBMIT)
                .withStagingSchema("pulse_audit"));
        for (int run = 0; run < 2; run++) {
            assertEquals(List.of("pulse_audit", TABLE), Staging.write(config, EXP, spark).parts());
        }
        assertEquals(6, session.table("pulse_audit." + TABLE).count());
        assertEquals(List.of(TABLE), session.sql("SHOW TABLES IN pulse_audit").where("NOT isTemporary").collectAsList().stream()
                .map(row -> row.getString(1)).toList());
    }

    /** {@code config} with its source {@code events} reading the table {@code table}. */
    private static PulseConfig withEvents(PulseConfig config, String table) {
        Map<SourceName, Source> sources = new LinkedHashMap<>(config.sources());
        Source events = sources.get(new SourceName("events"));
        sources.put(events.name(), new Source(events.name(), TestModel.table(table), events.timestampColumn(),
                events.idColumns(), events.assignment()));
        return new PulseConfig(config.file(), config.warehouse(), sources, config.metrics(), config.experiments());
    }

    private static String quote(String identifier) {
        return '`' + identifier + '`';
    }
}
