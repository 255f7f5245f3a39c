package dev.pulse.bench;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;

/**
 * Loads a generated data set into PostgreSQL: DuckDB writes each Parquet file as CSV, the driver's
 * {@code COPY … FROM STDIN} streams it into a fresh table, then {@code ANALYZE}.
 *
 * <p>Usage: {@code PgLoad DIR SCHEMA} → tables {@code SCHEMA.exposures} and {@code SCHEMA.events}
 * (replaced). Connection: {@code $PULSE_BENCH_PG_URL} (default {@value #DEFAULT_URL}),
 * {@code $PULSE_BENCH_PG_USER} (default {@code pulse_bench}), password in {@code $PULSE_BENCH_PG_PASSWORD}.
 */
public final class PgLoad {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/pulse_bench";

    private PgLoad() {}

    static Connection connect() throws Exception {
        Class.forName("org.postgresql.Driver"); // the shaded jar keeps only DuckDB's java.sql.Driver service entry
        Properties props = new Properties();
        props.setProperty("user", env("PULSE_BENCH_PG_USER", "pulse_bench"));
        String password = System.getenv("PULSE_BENCH_PG_PASSWORD");
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(env("PULSE_BENCH_PG_URL", DEFAULT_URL), props);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length != 2) {
            System.err.println("usage: PgLoad DIR SCHEMA");
            System.exit(2);
        }
        Path dir = Path.of(argv[0]).toAbsolutePath().normalize();
        String schema = argv[1];
        long start = System.nanoTime();
        try (Connection pg = connect(); Statement st = pg.createStatement();
             Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement dst = duck.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            st.execute("DROP TABLE IF EXISTS " + schema + ".exposures");
            st.execute("DROP TABLE IF EXISTS " + schema + ".events");
            st.execute("CREATE TABLE " + schema + ".exposures (org_id BIGINT, exposed_at TIMESTAMP, "
                    + "experiment_name TEXT, variant TEXT)");
            st.execute("CREATE TABLE " + schema + ".events (org_id BIGINT, user_id BIGINT, ts TIMESTAMP, "
                    + "event TEXT, revenue DOUBLE PRECISION)");
            for (String table : new String[] {"exposures", "events"}) {
                Path csv = Files.createTempFile("pulse-bench-" + table, ".csv");
                try {
                    String columns = table.equals("events") ? "org_id, user_id, ts, event, revenue"
                            : "org_id, exposed_at, experiment_name, variant";
                    dst.execute("COPY (SELECT " + columns + " FROM read_parquet('"
                            + GenerateData.sqlPath(dir.resolve(table + ".parquet")) + "')) TO '"
                            + GenerateData.sqlPath(csv) + "' (FORMAT csv, HEADER)");
                    try (Reader reader = Files.newBufferedReader(csv)) {
                        long rows = pg.unwrap(PGConnection.class).getCopyAPI().copyIn(
                                "COPY " + schema + "." + table + " (" + columns + ") FROM STDIN (FORMAT csv, HEADER)", reader);
                        System.out.printf("%s.%s: %,d rows%n", schema, table, rows);
                    }
                } finally {
                    Files.deleteIfExists(csv);
                }
            }
            st.execute("ANALYZE " + schema + ".exposures");
            st.execute("ANALYZE " + schema + ".events");
        }
        System.out.printf("loaded in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
