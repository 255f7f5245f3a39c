package dev.pulse.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;

/**
 * The floor: what an expert would write by hand for the generated experiment — one SQL statement,
 * run by a minimal JDBC program over the same Parquet files in in-memory DuckDB. Pulse can at best
 * match it; the benchmark reports Pulse's wall time as a multiple of this one's.
 *
 * <p>Usage: {@code Floor DIR} (DIR holds {@code exposures.parquet} and {@code events.parquet}).
 * Prints one row per group: n, then for each metric AVG/VAR_SAMP of X (and of Y and COVAR_SAMP(X, Y)
 * where Y is not 1). Query time alone goes to stderr.
 *
 * <p>Semantics follow docs/concepts.md: exposures in [start, end + 1 day); a unit's first exposure is its
 * earliest counted one; units seen in two groups are dropped; events count in [first exposure,
 * end + 1 day); units without events count with zeros (LEFT JOIN + COALESCE).
 */
public final class Floor {

    static final String SQL = """
            WITH exposed AS (
              SELECT org_id, MIN(exposed_at) AS first_exposure,
                     MIN(variant) AS grp, COUNT(DISTINCT variant) AS groups_seen
              FROM %1$s
              WHERE experiment_name = 'bench'
                AND exposed_at >= TIMESTAMP '2026-03-01' AND exposed_at < TIMESTAMP '2026-03-29'
              GROUP BY org_id),
            units AS (
              SELECT org_id, grp, first_exposure FROM exposed
              WHERE groups_seen = 1 AND grp IN ('control', 'treatment')),
            per_org AS (
              SELECT u.org_id,
                     SUM(e.revenue)                                     AS revenue,
                     COUNT(DISTINCT e.user_id)                          AS users,
                     COUNT(*) FILTER (WHERE e.event = 'purchase')       AS purchases,
                     SUM(e.revenue) FILTER (WHERE e.event = 'purchase') AS purchase_revenue,
                     COUNT(e.revenue) FILTER (WHERE e.event = 'purchase') AS purchase_records
              FROM units u
              JOIN %2$s e
                ON e.org_id = u.org_id AND e.ts >= u.first_exposure AND e.ts < TIMESTAMP '2026-03-29'
              GROUP BY u.org_id),
            unit_values AS (
              SELECT u.grp,
                     COALESCE(p.revenue, 0)          AS revenue,
                     COALESCE(p.users, 0)            AS users,
                     COALESCE(p.purchases, 0)        AS purchases,
                     COALESCE(p.purchase_revenue, 0) AS purchase_revenue,
                     COALESCE(p.purchase_records, 0) AS purchase_records,
                     CASE WHEN p.purchases > 0 THEN 1 ELSE 0 END AS purchasing
              FROM units u LEFT JOIN per_org p USING (org_id))
            SELECT grp, COUNT(*) AS n,
                   AVG(revenue) AS revenue_avg, VAR_SAMP(revenue) AS revenue_var,
                   AVG(purchases) AS purchases_avg, VAR_SAMP(purchases) AS purchases_var,
                   AVG(users) AS users_avg, VAR_SAMP(users) AS users_var,
                   COVAR_SAMP(revenue, users) AS revenue_users_cov,
                   AVG(purchase_revenue) AS purchase_revenue_avg, VAR_SAMP(purchase_revenue) AS purchase_revenue_var,
                   AVG(purchase_records) AS purchase_records_avg, VAR_SAMP(purchase_records) AS purchase_records_var,
                   COVAR_SAMP(purchase_revenue, purchase_records) AS purchase_revenue_records_cov,
                   AVG(purchasing) AS purchasing_avg, VAR_SAMP(purchasing) AS purchasing_var
            FROM unit_values
            GROUP BY grp
            ORDER BY grp""";

    private Floor() {}

    public static void main(String[] argv) throws Exception {
        String engine = "duckdb";
        if (argv.length == 3 && argv[0].equals("--engine")) {
            engine = argv[1];
            argv = new String[] {argv[2]};
        }
        if (argv.length != 1) {
            System.err.println("usage: Floor [--engine duckdb|postgres] DIR_OR_SCHEMA\n"
                    + "  duckdb (default): DIR holds exposures.parquet and events.parquet\n"
                    + "  postgres: the tables SCHEMA.exposures and SCHEMA.events (PgLoad), at $PULSE_BENCH_PG_URL\n"
                    + "    (default " + PgLoad.DEFAULT_URL + ") as $PULSE_BENCH_PG_USER (default pulse_bench),\n"
                    + "    password in $PULSE_BENCH_PG_PASSWORD");
            System.exit(2);
        }
        long start;
        switch (engine) {
            case "duckdb" -> {
                Path dir = Path.of(argv[0]).toAbsolutePath().normalize();
                String sql = String.format(SQL,
                        "read_parquet('" + GenerateData.sqlPath(dir.resolve("exposures.parquet")) + "')",
                        "read_parquet('" + GenerateData.sqlPath(dir.resolve("events.parquet")) + "')");
                start = System.nanoTime();
                try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                     Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery(sql)) {
                    print(rows);
                }
            }
            case "postgres" -> {
                String schema = argv[0];
                String sql = String.format(SQL, schema + ".exposures", schema + ".events");
                start = System.nanoTime();
                try (Connection connection = PgLoad.connect();
                     Statement statement = connection.createStatement()) {
                    // The planner guesses 1 row for "groups_seen = 1" and would re-scan events per unit in a
                    // nested loop; an expert turns that off for the session, as Pulse does (docs/postgres.md).
                    statement.execute("SET enable_nestloop = off");
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        print(rows);
                    }
                }
            }
            default -> {
                System.err.println("unknown engine " + engine + " (Spark: SparkFloor)");
                System.exit(2);
                return;
            }
        }
        System.err.printf("floor query: %.3f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** One line per row, {@code name=value} pairs separated by tabs. */
    static void print(ResultSet rows) throws Exception {
        ResultSetMetaData meta = rows.getMetaData();
        while (rows.next()) {
            StringBuilder line = new StringBuilder();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                if (c > 1) {
                    line.append('\t');
                }
                line.append(meta.getColumnLabel(c)).append('=').append(rows.getObject(c));
            }
            System.out.println(line);
        }
    }
}
