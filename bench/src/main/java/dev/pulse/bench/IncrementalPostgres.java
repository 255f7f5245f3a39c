package dev.pulse.bench;

import dev.pulse.analysis.AnalysisRun;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.IncrementalRefresh;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.output.JsonOutput;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import org.postgresql.PGConnection;

/**
 * Issue 13's day-28 refresh against a full run on PostgreSQL, where — unlike local DuckDB, which streams the whole
 * experiment in about a second — the scan is the cost: the 10M daily data in two plain tables loaded in time order
 * with a B-tree index on the timestamp (what docs/incremental.md asks of a PostgreSQL table), the state in the same
 * database. Runs inside one JVM ({@code AnalysisRun}, as {@code pulse serve --incremental}); every run starts from a
 * fresh copy of the day-27 database ({@code CREATE DATABASE … TEMPLATE}, outside the timed part), so each refresh
 * finds the state the day-27 refresh left and the day-28 rows in the tables.
 *
 * <p>Setup (once, {@code --load true}): the rows of the days before 2026-03-28 into {@code daily.events} and
 * {@code daily.exposures} (ordered by time, then indexed and analysed), a refresh that builds the state from them, then
 * day 28's rows appended, then the database copied to {@code <database>_day27} as the template of every run.
 *
 * <p>Usage (repository root; the role needs CREATEDB): {@code PULSE_BENCH_PG_PASSWORD=… java -cp
 * pulse-cli/target/pulse.jar:bench/target/pulse-bench.jar dev.pulse.bench.IncrementalPostgres --data
 * bench/data/daily-10000000 [--load true] [--rounds 3] [--warmups 1] [--results DIR]}; the server and role from
 * {@code PULSE_BENCH_PG_URL} (default {@value PgLoad#DEFAULT_URL}) and {@code PULSE_BENCH_PG_USER}. Prints the wall
 * time of each run (the client's CPU would say nothing: the server does the work) and the ratios.
 */
public final class IncrementalPostgres {
    private static final String LAST_DAY = "2026-03-28";

    private IncrementalPostgres() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, List.of("data", "load", "rounds", "warmups", "results"));
        Path data = Path.of(args.get("data", "bench/data")).toAbsolutePath().normalize();
        int rounds = (int) args.getLong("rounds", 3);
        int warmups = (int) args.getLong("warmups", 1);
        Path results = Path.of(args.get("results", "bench/results/incremental-postgres")).toAbsolutePath().normalize();
        Files.createDirectories(results);
        String url = System.getenv().getOrDefault("PULSE_BENCH_PG_URL", PgLoad.DEFAULT_URL);
        String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        String server = url.substring(0, url.lastIndexOf('/') + 1);
        String template = database + "_day27";
        String run = database + "_run";

        if (Boolean.parseBoolean(args.get("load", "false"))) {
            load(data, buildConfig(data, url));
            try (Connection admin = connect(server + "postgres"); Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + template);
                st.execute("CREATE DATABASE " + template + " TEMPLATE " + database);
            }
        }

        PulseConfig config = buildConfig(data, server + run);
        List<ExperimentName> experiments = List.copyOf(config.experiments().keySet());
        AnalysisRun full = AnalysisRun.of(config, experiments);
        List<AnalysisRun> programs = List.of(full, full.withIncremental(IncrementalRefresh.Settings.defaults()),
                full.withIncremental(new IncrementalRefresh.Settings(IncrementalRefresh.Settings.DEFAULT_LOOKBACK_DAYS, false, false)));
        String[] names = {"full run", "refresh", "refresh, no history check"};
        double[][] wall = new double[names.length][rounds];
        String[] summaries = new String[names.length];
        System.out.printf("PostgreSQL %s, %d rounds after %d warm-up, each run on a fresh copy of %s%n",
                serverVersion(server + "postgres"), rounds, warmups, template);
        for (int round = 1 - warmups; round <= rounds; round++) {
            StringBuilder line = new StringBuilder(String.format("%-8s", round <= 0 ? "warm-up" : "round " + round));
            for (int k = 0; k < names.length; k++) {
                int i = Math.floorMod(round + k, names.length);
                try (Connection admin = connect(server + "postgres"); Statement st = admin.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + run);
                    st.execute("CREATE DATABASE " + run + " TEMPLATE " + template);
                }
                long t0 = System.nanoTime();
                List<ExperimentResult> out = programs.get(i).run(phase -> { });
                double seconds = (System.nanoTime() - t0) / 1e9;
                line.append(String.format(Locale.ROOT, "  %s %.2f s", names[i], seconds));
                if (round > 0) {
                    wall[i][round - 1] = seconds;
                }
                if (round == 1) {
                    Files.writeString(results.resolve("postgres-" + i + ".json"), JsonOutput.experiments(out));
                    summaries[i] = out.get(0).warnings().isEmpty() ? "" : out.get(0).warnings().get(0);
                }
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("| program | wall median [min-max] | ratio wall (median of the per-round ratios) [min-max] |");
        System.out.println("|---|---:|---:|");
        for (int i = 0; i < names.length; i++) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = wall[i][r] / wall[0][r];
            }
            System.out.printf(Locale.ROOT, "| %s | %.2f s [%.2f-%.2f] | %s |%n", names[i], Benchmark.median(wall[i]),
                    min(wall[i]), max(wall[i]), i == 0 ? "1" : String.format(Locale.ROOT, "**%.3f** [%.3f-%.3f]",
                            Benchmark.median(ratios), min(ratios), max(ratios)));
        }
        for (int i = 1; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "  %s: %s; against the full run: group means %.1e, every number %.1e%n", names[i],
                    summaries[i],
                    Incremental.maxRelativeDifference(results.resolve("postgres-0.json"), results.resolve("postgres-" + i + ".json"), true),
                    Incremental.maxRelativeDifference(results.resolve("postgres-0.json"), results.resolve("postgres-" + i + ".json"), false));
        }
    }

    /** pulse-incremental.yaml with the warehouse switched to the server and the files to the loaded tables. */
    private static PulseConfig buildConfig(Path data, String url) throws Exception {
        String yaml = Files.readString(data.resolve(Incremental.DEFAULT_CONFIG))
                .replaceAll("(?m)^warehouse:\\n(  .*\\n)+", "warehouse:\n  engine: postgres\n  url: " + url
                        + "\n  user: " + System.getenv().getOrDefault("PULSE_BENCH_PG_USER", "pulse_bench")
                        + "\n  password_env: PULSE_BENCH_PG_PASSWORD\n  staging_schema: pulse_state\n\n")
                .replace("path: events/*/*.parquet", "table: daily.events")
                .replace("path: exposures/*/*.parquet", "table: daily.exposures");
        Path file = data.resolve("pulse-incremental-postgres.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, yaml);
    }

    /** The days before the last into the tables, the state built from them, then the last day's rows appended. */
    private static void load(Path data, PulseConfig config) throws Exception {
        long start = System.nanoTime();
        try (Connection pg = PgLoad.connect(); Statement st = pg.createStatement();
             Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement dst = duck.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS pulse_state CASCADE");
            st.execute("CREATE SCHEMA pulse_state");
            st.execute("CREATE SCHEMA IF NOT EXISTS daily");
            st.execute("DROP TABLE IF EXISTS daily.exposures");
            st.execute("DROP TABLE IF EXISTS daily.events");
            st.execute("CREATE TABLE daily.exposures (org_id BIGINT, exposed_at TIMESTAMP, experiment_name TEXT, variant TEXT)");
            st.execute("CREATE TABLE daily.events (org_id BIGINT, user_id BIGINT, ts TIMESTAMP, event TEXT, revenue DOUBLE PRECISION)");
            copy(data, pg, dst, "< TIMESTAMP '" + LAST_DAY + "'");
            st.execute("CREATE INDEX ON daily.events (ts)");
            st.execute("CREATE INDEX ON daily.exposures (exposed_at)");
            st.execute("VACUUM ANALYZE daily.events");
            st.execute("VACUUM ANALYZE daily.exposures");
            System.out.printf("days before %s loaded and indexed in %.1f s%n", LAST_DAY, (System.nanoTime() - start) / 1e9);
            List<ExperimentResult> built = AnalysisRun.of(config, List.copyOf(config.experiments().keySet()))
                    .withIncremental(IncrementalRefresh.Settings.defaults()).run(phase -> { });
            System.out.println("day-27 state: " + built.get(0).warnings().get(0));
            copy(data, pg, dst, ">= TIMESTAMP '" + LAST_DAY + "'");
            st.execute("VACUUM ANALYZE daily.events");
            st.execute("VACUUM ANALYZE daily.exposures");
        }
        System.out.printf("loaded in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Each source's rows whose timestamp satisfies {@code condition}, in time order, through CSV and COPY. */
    private static void copy(Path data, Connection pg, Statement duck, String condition) throws Exception {
        for (String table : new String[] {"exposures", "events"}) {
            String columns = table.equals("events") ? "org_id, user_id, ts, event, revenue"
                    : "org_id, exposed_at, experiment_name, variant";
            String ts = table.equals("events") ? "ts" : "exposed_at";
            Path csv = Files.createTempFile("pulse-bench-" + table, ".csv");
            try {
                duck.execute("COPY (SELECT " + columns + " FROM read_parquet('"
                        + GenerateData.sqlPath(data.resolve(table)) + "/*/*.parquet') WHERE " + ts + " " + condition
                        + " ORDER BY " + ts + ") TO '" + GenerateData.sqlPath(csv) + "' (FORMAT csv, HEADER)");
                try (Reader reader = Files.newBufferedReader(csv)) {
                    long rows = pg.unwrap(PGConnection.class).getCopyAPI().copyIn(
                            "COPY daily." + table + " (" + columns + ") FROM STDIN (FORMAT csv, HEADER)", reader);
                    System.out.printf("daily.%s: %,d rows (%s %s)%n", table, rows, ts, condition);
                }
            } finally {
                Files.deleteIfExists(csv);
            }
        }
    }

    private static Connection connect(String url) throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", System.getenv().getOrDefault("PULSE_BENCH_PG_USER", "pulse_bench"));
        String password = System.getenv("PULSE_BENCH_PG_PASSWORD");
        if (password != null) {
            props.setProperty("password", password);
        }
        Class.forName("org.postgresql.Driver");
        return DriverManager.getConnection(url, props);
    }

    private static String serverVersion(String url) throws Exception {
        try (Connection c = connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }
}
