package dev.pulse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts how often each statement Pulse runs reads {@code events.parquet} (and {@code exposures.parquet}): the number of Parquet scan
 * operators over that file in DuckDB's physical plan ({@code EXPLAIN (FORMAT json)}), which is what
 * "passes over a source" means.
 *
 * <p>Usage: {@code Passes --data DIR [--pulse-cmd "PREFIX"] [--configs A,B]}. For each config (default
 * {@code pulse.yaml,pulse-options.yaml}) it runs {@code PREFIX sql --config DIR/<config> --experiment bench},
 * which prints the experiment's main statement, per funnel metric its statement and, per percentile metric, the statement of its passes
 * 1 and 2. A percentile metric's pass 3 is a third statement that Pulse builds at run time from the
 * levels computed out of pass 2's result, so {@code pulse sql} cannot print it; this program rebuilds
 * its shape ({@code PercentileSqlRenderer.levelQuantilesStatement}: the same {@code percentile_rows}
 * CTE, then two {@code QUANTILE_DISC} per group over it) with placeholder levels, which do not change
 * the plan. The floor's statement is counted too, for reference.
 *
 * <p>A scan reads {@code events.parquet} when it projects a column that only that file has
 * (from the files' schemas), likewise the exposures ({@code exposures.parquet}, or {@code exposures-concurrent.parquet}
 * that issue 14's configs read instead); the plan does not name the file.
 */
public final class Passes {
    private static final Pattern NODE_NAME = Pattern.compile("\"name\"\\s*:\\s*\"([A-Z_ ]+)\"");
    private static final Pattern PROJECTIONS = Pattern.compile("\"Projections\"\\s*:\\s*\\[([^\\]]*)\\]");

    private Passes() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, List.of("data", "pulse-cmd", "configs"));
        Path data = Path.of(args.get("data", "bench/data")).toAbsolutePath().normalize();
        List<String> prefix = CommandLine.split(args.get("pulse-cmd", Benchmark.DEFAULT_PULSE));
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            Sources sources = Sources.of(connection, data);
            System.out.println("Parquet scan operators in DuckDB's physical plan of each statement; a scan reads"
                    + " events.parquet if it projects one of " + sources.eventsOnly() + ", the exposures (exposures.parquet"
                    + " or exposures-concurrent.parquet) if one of " + sources.exposuresOnly());
            System.out.printf(Locale.ROOT, "%-26s %-36s %6s %9s%n", "config", "statement", "events", "exposures");
            // Floor.SQL takes each source as a FROM item (the engines' floors differ only there)
            String floor = String.format(Floor.SQL,
                    "read_parquet('" + GenerateData.sqlPath(data.resolve("exposures.parquet")) + "')",
                    "read_parquet('" + GenerateData.sqlPath(data.resolve("events.parquet")) + "')");
            print("floor", sources.count(connection, "the one statement", floor));
            for (String config : args.get("configs", Benchmark.DEFAULT_CONFIGS).split(",")) {
                int[] total = new int[2];
                for (Scans scans : count(connection, sources, data, prefix, config.trim())) {
                    print(config, scans);
                    total[0] += scans.events();
                    total[1] += scans.exposures();
                }
                System.out.printf(Locale.ROOT, "%-26s %-36s %6d %9d%n", config, "total", total[0], total[1]);
            }
        }
    }

    /** The scans of the events and of the exposures in one statement's plan. */
    record Scans(String statement, int events, int exposures) {}

    /**
     * The columns only events.parquet has, and those only the exposures have (exposures.parquet's, and
     * exposures-concurrent.parquet's when the data set has it: its {@code country} too).
     */
    record Sources(Set<String> eventsOnly, Set<String> exposuresOnly) {
        static Sources of(Connection connection, Path data) throws SQLException {
            Set<String> eventsOnly = columns(connection, data.resolve("events.parquet"));
            Set<String> exposuresOnly = columns(connection, data.resolve("exposures.parquet"));
            Path concurrent = data.resolve("exposures-concurrent.parquet");
            if (Files.isRegularFile(concurrent)) {
                exposuresOnly.addAll(columns(connection, concurrent));
            }
            Set<String> shared = new HashSet<>(eventsOnly);
            shared.retainAll(exposuresOnly);
            eventsOnly.removeAll(shared);
            exposuresOnly.removeAll(shared);
            return new Sources(Set.copyOf(eventsOnly), Set.copyOf(exposuresOnly));
        }

        Scans count(Connection connection, String what, String sql) throws SQLException {
            String plan = explain(connection, sql);
            return new Scans(what, scans(plan, eventsOnly), scans(plan, exposuresOnly));
        }
    }

    /**
     * The scans of each statement that {@code PREFIX sql --config DATA/<config> --experiment bench} prints (a percentile
     * metric's pass 3 rebuilt after its passes 1 and 2).
     */
    static List<Scans> count(Connection connection, Sources sources, Path data, List<String> prefix, String config)
            throws SQLException, IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("sql", "--config", data.resolve(config).toString(), "--experiment", "bench"));
        return count(connection, sources, run(command));
    }

    /** The scans of each statement in {@code pulse sql}'s output. */
    static List<Scans> count(Connection connection, Sources sources, String pulseSqlOutput) throws SQLException {
        List<Scans> counted = new ArrayList<>();
        for (String statement : statements(pulseSqlOutput)) {
            if (statement.contains("\"pulse_percentile_rows\"")) {
                counted.add(sources.count(connection, "percentile passes 1+2", statement));
                counted.add(sources.count(connection, "percentile pass 3 (rebuilt)", levelQuantiles(statement)));
            } else if (statement.contains("\"funnel_rows\"")) {
                counted.add(sources.count(connection, "funnel statement", statement));
            } else if (statement.contains("\"unit_days\"")) {
                counted.add(sources.count(connection, "main statement with daily results", statement));
            } else {
                counted.add(sources.count(connection, "main statement", statement));
            }
        }
        return counted;
    }

    private static void print(String config, Scans scans) {
        System.out.printf(Locale.ROOT, "%-26s %-36s %6d %9d%n", config, scans.statement(), scans.events(), scans.exposures());
    }

    /**
     * Parquet scans in a JSON plan that project one of {@code columns}: the text is cut at every node's
     * {@code "name"}; a scan is a leaf, so its {@code extra_info} (function, projections) lies in its own piece.
     */
    static int scans(String jsonPlan, Set<String> columns) {
        int scans = 0;
        Matcher name = NODE_NAME.matcher(jsonPlan);
        List<Integer> starts = new ArrayList<>();
        while (name.find()) {
            starts.add(name.start());
        }
        for (int i = 0; i < starts.size(); i++) {
            String node = jsonPlan.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : jsonPlan.length());
            if (!node.contains("READ_PARQUET") && !node.contains("PARQUET_SCAN")) {
                continue;
            }
            Matcher projections = PROJECTIONS.matcher(node);
            if (projections.find()) {
                for (String column : projections.group(1).split(",")) {
                    if (columns.contains(column.trim().replace("\"", ""))) {
                        scans++;
                        break;
                    }
                }
            }
        }
        return scans;
    }

    /**
     * Pass 3 of a percentile metric, rebuilt from the printed passes-1-and-2 statement: its CTEs up to
     * and including {@code percentile_rows}, then the two discrete quantiles per group of the bench
     * data (control, treatment) over those rows, as {@code PercentileSqlRenderer.levelQuantilesStatement} writes it.
     */
    static String levelQuantiles(String indicatorStatement) {
        int next = indicatorStatement.indexOf("\n\"pulse_group_quantiles\" AS (");
        if (next < 0) {
            throw new IllegalArgumentException("no group_quantiles CTE after percentile_rows in:\n" + indicatorStatement);
        }
        String ctes = indicatorStatement.substring(0, next).stripTrailing();
        ctes = ctes.substring(0, ctes.length() - 1); // the comma before the next CTE
        StringBuilder sql = new StringBuilder(ctes).append("\nSELECT\n");
        String[] groups = {"control", "treatment"};
        for (int i = 0; i < groups.length; i++) {
            String value = "CASE WHEN \"grp\" = '" + groups[i] + "' THEN \"row_value\" END";
            sql.append(String.format(Locale.ROOT, "  QUANTILE_DISC(%s, 0.89) AS \"q%d_lower\",%n", value, i));
            sql.append(String.format(Locale.ROOT, "  QUANTILE_DISC(%s, 0.91) AS \"q%d_upper\"%s%n", value, i,
                    i + 1 < groups.length ? "," : ""));
        }
        return sql.append("FROM \"pulse_percentile_rows\"").toString();
    }

    /** The statements in {@code pulse sql}'s output: each ends with a line ending in ';'; comment lines dropped. */
    static List<String> statements(String output) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : output.split("\n")) {
            if (line.startsWith("--")) {
                continue;
            }
            if (line.stripTrailing().endsWith(";")) {
                current.append(line, 0, line.stripTrailing().length() - 1);
                statements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static String explain(Connection connection, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("EXPLAIN (FORMAT json) " + sql)) {
            while (rows.next()) {
                plan.append(rows.getString(2)).append('\n'); // (explain_key, explain_value)
            }
        }
        return plan.toString();
    }

    private static Set<String> columns(Connection connection, Path parquet) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("DESCRIBE SELECT * FROM read_parquet('"
                     + GenerateData.sqlPath(parquet) + "')")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("pulse-sql", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("failed: " + String.join(" ", command));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.delete(out);
        }
    }
}
