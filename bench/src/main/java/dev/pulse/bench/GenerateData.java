package dev.pulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Writes a demo-shaped, deterministic data set: {@code exposures.parquet}, {@code events.parquet},
 * {@code exposures-concurrent.parquet} (the same exposures with a {@code country} and a second experiment, for issue
 * 14's methods; see {@link #CONCURRENT}) and the configs that analyze them: {@code pulse.yaml} (plain), {@code pulse-timeseries.yaml} (daily
 * results) and {@code pulse-options.yaml} (every
 * analysis option, see {@link PulseConfig#optionsYaml}).
 *
 * <p>Usage: {@code GenerateData [--events N] [--orgs M] [--out DIR] [--daily true]} (defaults 10 000 000, 100 000,
 * {@code bench/data}, false). With {@code --daily true} the same rows are also written one folder per UTC day, Hive
 * style ({@code events/date=2026-03-05/data_0.parquet}, {@code exposures/date=…/…}), with the config
 * {@code pulse-incremental.yaml} that reads them by glob into a database file, and {@code pulse-incremental-partitioned.yaml},
 * the same with {@code date_partition: date} (bench/incremental.sh). All randomness comes from DuckDB's {@code hash(value, salt)}, so the same
 * arguments give the same rows on the same DuckDB version.
 *
 * <p>Traps the data contains (docs/concepts.md): orgs with no events (every org with {@code org_id % 20 = 7}),
 * orgs never exposed ({@code % 50 = 3}), orgs exposed only before the start ({@code % 100 = 11}),
 * duplicate exposures to the same group ({@code % 33 = 0}), orgs exposed to both groups
 * ({@code % 250 = 1}), events before the start (~12 %) and before an org's first exposure, NULL revenue.
 */
public final class GenerateData {

    /**
     * Seeded helpers: a uniform number in [0,1), an org's size (1..150 users, skewed), its group, and
     * a number of seconds in [0, 28 days). {@code hash} is UBIGINT: its modulus must be a literal or
     * UBIGINT, since UBIGINT % BIGINT (or INTEGER) is computed in HUGEINT, ~10x slower.
     */
    private static final List<String> MACROS = List.of(
            "CREATE MACRO unif(x, salt) AS (hash(x, salt) % 1000000)::BIGINT / 1e6",
            "CREATE MACRO org_size(o) AS (1 + floor(149 * pow(unif(o, 'size'), 4)))::UBIGINT",
            "CREATE MACRO is_treatment(o) AS hash(o, 'variant') % 2 = 1",
            "CREATE MACRO secs(x, salt) AS to_seconds((hash(x, salt) % 2419200)::BIGINT)",
            // DuckDB's hash(x, salt) is hash(x) XOR hash(salt): every salt of one x is the same bits flipped the same
            // way, so hash(o, 'a') % 4 is a function of hash(o, 'variant') % 2 (checked: the XOR of two salts' hashes
            // takes one value over all o). Draws that must be independent of the bench variant hash a text instead.
            "CREATE MACRO keyed(x, salt) AS hash(x::VARCHAR || '/' || salt)",
            "CREATE MACRO keyed_unif(x, salt) AS (keyed(x, salt) % 1000000)::BIGINT / 1e6");

    private static final String EXPOSURES = """
            COPY (
              WITH orgs AS (
                SELECT o AS org_id FROM range(%1$d) t(o) WHERE o %% 50 <> 3),
              first_exposure AS (
                SELECT org_id,
                       CASE WHEN org_id %% 100 = 11 THEN TIMESTAMP '2026-01-15' ELSE TIMESTAMP '2026-03-01' END
                         + secs(org_id, 'exposed') AS exposed_at,
                       CASE WHEN is_treatment(org_id) THEN 'treatment' ELSE 'control' END AS variant
                FROM orgs)
              SELECT org_id, exposed_at, 'bench' AS experiment_name, variant FROM first_exposure
              UNION ALL
              SELECT org_id, exposed_at + INTERVAL 3 HOUR, 'bench', variant
              FROM first_exposure WHERE org_id %% 33 = 0
              UNION ALL
              SELECT org_id, exposed_at + INTERVAL 1 DAY, 'bench',
                     CASE variant WHEN 'control' THEN 'treatment' ELSE 'control' END
              FROM first_exposure WHERE org_id %% 250 = 1
            ) TO '%2$s' (FORMAT parquet)""";

    /**
     * {@code exposures-concurrent.parquet}: the rows of {@code exposures.parquet} (read back, so the same rows) and a
     * second, concurrent experiment {@code pricing} on the same orgs, each row with the org's {@code country}, a
     * pre-exposure attribute. {@code exposures.parquet} itself stays as it was, byte for byte, so that every earlier
     * figure (and the floor, which reads it) stays comparable; the configs of issue 14's methods read this file.
     *
     * <ul>
     *   <li>{@code country}: one value per org, whatever the experiment or the exposure, from cuts of a score
     *       {@code u^(2 − org_id/orgs)} at 0.45 (US), 0.65 (DE), 0.77 (GB), 0.87 (FR), 0.95 (BR), 0.99 (JP; NULL above):
     *       the score leans low for low org ids, the busiest orgs (see EVENTS), so that the attribute explains some of
     *       the metrics' variance, as a real one would. Shares of the bench units: US 58 %, DE 16 %, GB 9 %, FR 7 %,
     *       BR 6 %, JP 3 %, NULL 0.7 % (bench/README.md).</li>
     *   <li>{@code pricing}: 70 % of all orgs (also orgs the bench experiment never exposed), assigned by a hash
     *       independent of bench's: control 50 %, v1 25 %, v2 25 %;
     *       exposed from 2026-03-03 during 25 days (these draws and the country's hash a text, see {@code keyed});
     *       orgs with {@code org_id % 41 = 0} are exposed twice to the same group.</li>
     * </ul>
     * The rows are ordered by time, then by every column (a total order: two rows never agree on all of experiment,
     * org, time and group), so that the file is the same bytes on every run, as a time-ordered log.
     */
    private static final String CONCURRENT = """
            COPY (
              WITH pricing AS (
                SELECT o AS org_id,
                       TIMESTAMP '2026-03-03' + to_seconds((keyed(o, 'pricing_at') %% 2160000)::BIGINT) AS exposed_at,
                       'pricing' AS experiment_name,
                       CASE keyed(o, 'pricing') %% 4 WHEN 2 THEN 'v1' WHEN 3 THEN 'v2' ELSE 'control' END AS variant
                FROM range(%1$d) t(o)
                WHERE keyed_unif(o, 'pricing_in') < 0.7),
              rows AS (
                SELECT org_id, exposed_at, experiment_name, variant FROM read_parquet('%2$s')
                UNION ALL
                SELECT * FROM pricing
                UNION ALL
                SELECT org_id, exposed_at + INTERVAL 2 HOUR, experiment_name, variant FROM pricing WHERE org_id %% 41 = 0),
              scored AS (
                SELECT *, pow(keyed_unif(org_id, 'country'), 2 - org_id / %1$d) AS score FROM rows)
              SELECT org_id, exposed_at, experiment_name, variant,
                     CASE WHEN score < 0.45 THEN 'US' WHEN score < 0.65 THEN 'DE' WHEN score < 0.77 THEN 'GB'
                          WHEN score < 0.87 THEN 'FR' WHEN score < 0.95 THEN 'BR' WHEN score < 0.99 THEN 'JP'
                          ELSE NULL END AS country
              FROM scored
              ORDER BY exposed_at, experiment_name, org_id, variant
            ) TO '%3$s' (FORMAT parquet)""";

    /** Events go to orgs with a skewed pick (low ids busier); orgs with id % 20 = 7 get none. */
    private static final String EVENTS = """
            COPY (
              WITH picked AS (
                SELECT i, floor(%2$d * pow(unif(i, 'org'), 2))::BIGINT AS raw_org
                FROM range(%1$d) t(i)),
              located AS (
                SELECT i, CASE WHEN raw_org %% 20 = 7 THEN raw_org - 1 ELSE raw_org END AS org_id,
                       (hash(i, 'event') %% 100)::INTEGER AS roll
                FROM picked),
              typed AS (
                SELECT i, org_id,
                       CASE WHEN roll < 70 THEN 'view'
                            WHEN roll < 84 THEN 'add_to_cart'
                            WHEN roll < 92 OR (roll = 92 AND is_treatment(org_id)) THEN 'purchase'
                            ELSE 'signup' END AS event
                FROM located)
              SELECT org_id,
                     org_id * 1000 + (hash(i, 'user') %% org_size(org_id))::BIGINT AS user_id,
                     CASE WHEN hash(i, 'early') %% 100 < 12 THEN TIMESTAMP '2026-02-01' ELSE TIMESTAMP '2026-03-01' END
                       + secs(i, 'ts') AS ts,
                     event,
                     CASE WHEN event = 'purchase' AND hash(i, 'null') %% 100 >= 3
                            THEN round((5 + 195 * pow(unif(i, 'amount'), 3))
                                       * CASE WHEN is_treatment(org_id) THEN 1.02 ELSE 1.0 END, 2)
                          WHEN event IN ('view', 'add_to_cart') THEN 0.0
                          WHEN event = 'signup' AND hash(i, 'fee') %% 10 = 0 THEN 9.99
                          ELSE NULL END::DOUBLE AS revenue
              FROM typed
            ) TO '%3$s' (FORMAT parquet)""";

    private GenerateData() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, List.of("events", "orgs", "out", "daily"));
        long events = args.getLong("events", 10_000_000L);
        long orgs = args.getLong("orgs", 100_000L);
        Path out = Path.of(args.get("out", "bench/data")).toAbsolutePath().normalize();
        generate(events, orgs, out);
        if (Boolean.parseBoolean(args.get("daily", "false"))) {
            splitByDay(out);
            Files.writeString(out.resolve("pulse-incremental.yaml"), PulseConfig.incrementalYaml(events, orgs));
            Files.writeString(out.resolve("pulse-incremental-partitioned.yaml"), PulseConfig.incrementalPartitionedYaml(events, orgs));
        }
    }

    /**
     * Writes {@code events.parquet} and {@code exposures.parquet} of {@code out} again, one folder per UTC day of
     * their timestamp ({@code date=YYYY-MM-DD}, the column itself only in the path, as Hive does). One thread and a
     * total order make the files the same bytes on every run: a partitioned COPY on several threads may write the
     * rows of a day in another order.
     */
    static void splitByDay(Path out) throws SQLException, IOException {
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            execute(connection, "SET threads = 1");
            execute(connection, "SET preserve_insertion_order = true");
            for (String[] table : new String[][] {{"events", "ts"}, {"exposures", "exposed_at"}}) {
                Path folder = out.resolve(table[0]);
                deleteRecursively(folder);
                execute(connection, String.format(DAILY, sqlPath(out.resolve(table[0] + ".parquet")), table[1],
                        sqlPath(folder)));
            }
        }
        System.out.printf("split by day in %.2f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** The rows of one file, in file order, to one folder per day of a timestamp column. */
    private static final String DAILY = """
            COPY (
              SELECT *, strftime(%2$s, '%%Y-%%m-%%d') AS date FROM read_parquet('%1$s')
            ) TO '%3$s' (FORMAT parquet, PARTITION_BY (date))""";

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    static void generate(long events, long orgs, Path out) throws SQLException, IOException {
        Files.createDirectories(out);
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            for (String macro : MACROS) {
                execute(connection, macro);
            }
            execute(connection, String.format(EXPOSURES, orgs, sqlPath(out.resolve("exposures.parquet"))));
            execute(connection, String.format(EVENTS, events, orgs, sqlPath(out.resolve("events.parquet"))));
            execute(connection, String.format(CONCURRENT, orgs, sqlPath(out.resolve("exposures.parquet")),
                    sqlPath(out.resolve("exposures-concurrent.parquet"))));
        }
        Files.writeString(out.resolve("pulse.yaml"), PulseConfig.yaml(events, orgs));
        Files.writeString(out.resolve("pulse-options.yaml"), PulseConfig.optionsYaml(events, orgs));
        Files.writeString(out.resolve("pulse-timeseries.yaml"), PulseConfig.timeseriesYaml(events, orgs));
        Files.writeString(out.resolve("pulse-funnel.yaml"), PulseConfig.funnelYaml(events, orgs));
        Files.writeString(out.resolve("pulse-new-types.yaml"), PulseConfig.newTypesYaml(events, orgs));
        Files.writeString(out.resolve("pulse-trigger.yaml"), PulseConfig.triggerYaml(events, orgs));
        for (PulseConfig.Stats14 config : PulseConfig.Stats14.values()) {
            Files.writeString(out.resolve(config.fileName()), config.yaml(events, orgs));
        }
        System.out.printf("wrote %,d events, %,d orgs to %s in %.2f s%n",
                events, orgs, out, (System.nanoTime() - start) / 1e9);
    }

    /** A path as a single-quoted SQL string body. */
    static String sqlPath(Path path) {
        return path.toString().replace("'", "''");
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) { // DuckDB closes a failed statement
            statement.execute(sql);
        }
    }
}
