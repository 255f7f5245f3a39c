package dev.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesTest {

    /**
     * Real DuckDB profiles, written as Pulse's hook writes them (one file per statement): 1000 event rows in two day
     * folders of 600 and 400 rows, a filter keeping one folder (400 rows scanned, by construction), a table of 50
     * rows read in a second statement, all of both in a third, the footers of the two files in a fourth (no rows, bytes
     * with the sources'); the driver's BEGIN/COMMIT are not statements.
     */
    @Test
    void sumsRowsBySourceAndBytesByWhatAStatementReads(@TempDir Path temp) throws Exception {
        Path events = temp.resolve("events");
        Path profiles = Files.createDirectories(temp.resolve("profiles"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + temp.resolve("db.duckdb"))) {
            run(c, "COPY (SELECT range AS x, CASE WHEN range < 600 THEN '2026-03-01' ELSE '2026-03-02' END AS date"
                    + " FROM range(1000)) TO '" + events + "' (FORMAT parquet, PARTITION_BY (date))");
            run(c, "CREATE TABLE pulse_state_t AS SELECT range AS x FROM range(50)");
            run(c, "SET enable_profiling = 'json'");
            run(c, "SET profiling_coverage = 'ALL'");
            String glob = events + "/*/*.parquet";
            String[] statements = {
                "SELECT SUM(x) FROM read_parquet('" + glob + "') WHERE date = DATE '2026-03-02'",
                "SELECT SUM(x) FROM pulse_state_t",
                // no join, which could prune the events' row groups by the table's values
                "SELECT (SELECT SUM(x) FROM read_parquet('" + glob + "')) + (SELECT SUM(x) FROM pulse_state_t)",
                "SELECT file_name, SUM(row_group_num_rows) FROM parquet_metadata('" + glob + "') GROUP BY file_name"};
            for (int i = 0; i < statements.length; i++) {
                run(c, "SET profiling_output = '" + profiles.resolve("1-%05d.json".formatted(i + 1)) + "'");
                run(c, statements[i]);
            }
            run(c, "SET profiling_output = '" + profiles.resolve("1-00005.json") + "'");
            c.setAutoCommit(false); // the driver's BEGIN TRANSACTION
        }
        Profiles.Totals totals = Profiles.sum(profiles);
        assertEquals(4, totals.statements());
        assertEquals(400 + 1000, totals.events().rows());
        assertEquals(2, totals.events().scans());
        assertEquals(1 + 2, totals.events().files()); // the date filter opens one folder's file
        assertEquals(50 + 50, totals.state().rows());
        assertEquals(0, totals.exposures().rows());
        assertEquals(1, totals.footers().scans());
        assertEquals(0, totals.footers().rows());
        assertTrue(totals.bytesSourcesOnly() > 0 && totals.bytesMixed() > 0, totals.toString());
        assertEquals(4, totals.breakdown().size());
        assertTrue(totals.breakdown().get(3).contains("footer scans 1"), totals.breakdown().get(3));
        assertTrue(totals.seconds() > 0);
    }

    @Test
    void jsonReadsWhatDuckDbAndPulseWrite() {
        Object json = Json.parse("{\"a\": [1, 2.5e-3, -4], \"b\": {\"s\": \"x\\\"\\u00e9\", \"t\": true, \"n\": null}}");
        Map<?, ?> map = (Map<?, ?>) json;
        assertEquals(List.of(1.0, 2.5e-3, -4.0), map.get("a"));
        assertEquals("x\"é", ((Map<?, ?>) map.get("b")).get("s"));
        assertEquals(List.of(1.0, 2.5e-3, -4.0), Incremental.numbers(json, new java.util.ArrayList<>(), false, false));
    }

    private static void run(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
