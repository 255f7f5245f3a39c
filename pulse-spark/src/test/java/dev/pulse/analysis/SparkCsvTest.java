package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.cli.PulseCli;
import dev.pulse.model.Relation;
import dev.pulse.spark.TestSpark;
import dev.pulse.sql.dialect.SparkDialect;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV {@code path:} sources on Spark, end to end through the CLI: a header line, empty fields (quoted or not)
 * as NULL, quoted commas and doubled quotes, a glob of two files, typed columns (TIMESTAMP, DOUBLE), and the
 * errors a user sees for a missing path or a malformed row. The numbers are checked by hand and against DuckDB
 * reading the same files with {@code read_csv}.
 */
class SparkCsvTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @BeforeAll
    static void startSpark() {
        TestSpark.session();
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /*
     * Counted rows (first exposure .. 2026-03-04 00:00):
     *   control 1: 11:00 purchase 10.5 (09:00 is before its exposure); 2: a view and a purchase, both revenue NULL
     *              (one empty, one quoted empty); 3: none
     *   treat   4: purchases 30 and 12; 5: none (03-04 00:00 is after the end); 6: a view before its exposure
     */
    private Path data() throws IOException {
        Files.writeString(temp.resolve("exposures.csv"), """
                exp_name,variant,org,ts
                exp,control,1,2026-03-01 10:00:00
                exp,control,2,2026-03-01 11:00:00
                exp,control,3,2026-03-02 09:30:00
                exp,treat,4,2026-03-01 09:00:00
                exp,treat,5,2026-03-02 12:00:00
                exp,treat,6,2026-03-01 08:00:00
                """);
        Files.writeString(temp.resolve("events-1.csv"), """
                org,ts,event,revenue,note
                1,2026-03-01 09:00:00,purchase,100,before exposure
                1,2026-03-01 11:00:00,purchase,10.5,"a, b"
                2,2026-03-02 10:00:00,view,,
                2,2026-03-02 11:00:00,purchase,"","say ""hi""\"
                """);
        Files.writeString(temp.resolve("events-2.csv"), """
                org,ts,event,revenue,note
                4,2026-03-01 10:00:00,purchase,30,
                4,2026-03-03 23:59:59,purchase,12,late
                5,2026-03-04 00:00:00,purchase,999,after end
                6,2026-03-01 07:30:00,view,,
                """);
        return temp;
    }

    private Path config(String warehouse, String events) throws IOException {
        Path file = temp.resolve("pulse-" + warehouse.hashCode() + ".yaml");
        Files.writeString(file, """
                %s
                sources:
                  events: {path: '%s', format: csv, timestamp: ts, ids: {org_id: org}}
                  exposures: {path: exposures.csv, timestamp: ts, ids: {org_id: org}, experiment: exp_name, group: variant}
                metrics:
                  revenue: {type: sum, source: events, value: revenue}
                  purchases: {type: count, source: events, filter: "event = 'purchase'"}
                  avg_purchase_value: {type: mean, source: events, value: revenue, filter: "event = 'purchase'"}
                  notes: {type: count_distinct, source: events, value: note}
                experiments:
                  exp:
                    assignment: exposures
                    unit: org_id
                    control: control
                    groups: [control, treat]
                    start: 2026-03-01
                    end: 2026-03-03
                    metrics: [revenue, purchases, avg_purchase_value, notes]
                """.formatted(warehouse, events));
        return file;
    }

    private static final String SPARK = "warehouse: {engine: spark, master: 'local[2]'}";

    @Test
    void aGlobOfCsvFilesWithHeadersAndEmptyFieldsGivesDuckDbsNumbers() throws Exception {
        data();
        Run spark = run("analyze", "--config", config(SPARK, "events-*.csv").toString(), "--format", "json");
        assertEquals(0, spark.code(), spark.err());
        Run duckDb = run("analyze", "--config", config("", "events-*.csv").toString(), "--format", "json");
        assertEquals(0, duckDb.code(), duckDb.err());
        JsonNode actual = JSON.readTree(spark.out());
        EngineEquivalenceTest.assertEquivalent(JSON.readTree(duckDb.out()), actual, "$");

        JsonNode metrics = actual.get("experiments").get(0).get("metrics");
        JsonNode revenue = metrics.get(0).get("comparisons").get(0);
        assertEquals(3.5, revenue.get("control_mean").doubleValue(), 1e-12);    // (10.5 + 0 + 0) / 3: NULLs add nothing
        assertEquals(14, revenue.get("treatment_mean").doubleValue(), 1e-12);   // (42 + 0 + 0) / 3
        JsonNode purchases = metrics.get(1).get("comparisons").get(0);
        assertEquals(2.0 / 3, purchases.get("control_mean").doubleValue(), 1e-12); // org 2's purchase without revenue counts
        JsonNode average = metrics.get(2).get("comparisons").get(0);
        assertEquals(10.5, average.get("control_mean").doubleValue(), 1e-12);   // a NULL revenue is no record: 10.5 / 1
        assertEquals(21, average.get("treatment_mean").doubleValue(), 1e-12);
        JsonNode notes = metrics.get(3).get("comparisons").get(0);
        assertEquals(2.0 / 3, notes.get("control_mean").doubleValue(), 1e-12);  // "a, b" and say "hi"; an empty note is NULL
        assertEquals(1.0 / 3, notes.get("treatment_mean").doubleValue(), 1e-12); // late

        // the view Pulse registered: typed columns from the header, empty fields NULL, quoting undone
        String view = SparkDialect.DEFAULT.fileRelation(
                new Relation.Files(temp.resolve("events-*.csv").toString(), Relation.FileFormat.CSV));
        StructType schema = TestSpark.session().table(view).schema();
        assertEquals(DataTypes.TimestampType, schema.apply("ts").dataType());
        assertEquals(DataTypes.DoubleType, schema.apply("revenue").dataType());
        assertEquals(DataTypes.IntegerType, schema.apply("org").dataType());
        List<Row> rows = TestSpark.session().sql("SELECT COUNT(*), COUNT(revenue), COUNT(note), "
                + "COUNT_IF(note = 'say \"hi\"'), COUNT_IF(note = 'a, b') FROM " + view).collectAsList();
        assertEquals("[8,5,5,1,1]", rows.get(0).toString());
    }

    @Test
    void aMissingCsvPathIsAWarehouseErrorNamingTheSource() throws IOException {
        data();
        Path missing = temp.resolve("no_such_events.csv");
        Run run = run("analyze", "--config", config(SPARK, missing.toString()).toString());
        assertEquals(3, run.code(), run.err());
        assertTrue(run.err().startsWith("error: source 'events' (" + missing + "): [PATH_NOT_FOUND] Path does not exist"),
                run.err());
    }

    @Test
    void aMalformedRowFailsInsteadOfBecomingNulls() throws IOException {
        data();
        Files.writeString(temp.resolve("short.csv"), "org,ts,event,revenue,note\n1,2026-03-01 11:00:00,purchase\n");
        Run run = run("analyze", "--config", config(SPARK, "short.csv").toString());
        assertEquals(3, run.code(), run.err());
        assertTrue(run.err().contains("[MALFORMED_CSV_RECORD] Malformed CSV record: 1,2026-03-01 11:00:00,purchase"),
                run.err());
    }

    @Test
    void pulseSqlPrintsTheViewsBeforeTheStatement() throws IOException {
        data();
        Run run = run("sql", "--config", config(SPARK, "events-*.csv").toString(), "--experiment", "exp");
        assertEquals(0, run.code(), run.err());
        String events = SparkDialect.DEFAULT.fileSetup(
                new Relation.Files(temp.resolve("events-*.csv").toString(), Relation.FileFormat.CSV)).get(0);
        String exposures = SparkDialect.DEFAULT.fileSetup(
                new Relation.Files(temp.resolve("exposures.csv").toString(), Relation.FileFormat.CSV)).get(0);
        assertTrue(run.out().startsWith("-- the sources' setup (run once per session before the statements)\n"
                + exposures + ";\n" + events + ";\n\nWITH\n"), run.out());
    }
}
