package dev.pulse.cli;

import dev.pulse.analysis.AnalysisRun;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;
import dev.pulse.analysis.TableCopy;
import dev.pulse.config.ConfigLoader;
import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.JsonOutput;
import dev.pulse.output.html.HtmlReport;
import dev.pulse.sql.TableStatements;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.DeltaMethodComparison;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.Warehouses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code pulse demo}: makes an org-randomized experiment in embedded DuckDB (with {@code --engine
 * postgres}, copies it into tables on a PostgreSQL server and analyses it there), analyses revenue per
 * user with Pulse, and shows it beside the naive user-level t-test that treats correlated users as
 * independent. Leaves the data and the config on disk for the user to edit and re-run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Make demo data (orgs and their users), analyze it, and compare with the naive per-user analysis.")
final class DemoCommand implements Callable<Integer> {
    private static final String EXPERIMENT = "pricing_v2";
    private static final String METRIC = "revenue_per_user";
    /** The demo tables a PostgreSQL demo copies, with their columns. */
    private static final Map<String, List<TableStatements.Column>> DEMO_TABLES = new LinkedHashMap<>();

    static {
        DEMO_TABLES.put("events", List.of(
                new TableStatements.Column("org_id", TableStatements.ColumnType.BIGINT),
                new TableStatements.Column("user_id", TableStatements.ColumnType.BIGINT),
                new TableStatements.Column("ts", TableStatements.ColumnType.TIMESTAMP),
                new TableStatements.Column("event", TableStatements.ColumnType.TEXT),
                new TableStatements.Column("revenue", TableStatements.ColumnType.DOUBLE)));
        DEMO_TABLES.put("exposures", List.of(
                new TableStatements.Column("org_id", TableStatements.ColumnType.BIGINT),
                new TableStatements.Column("exposed_at", TableStatements.ColumnType.TIMESTAMP),
                new TableStatements.Column("experiment_name", TableStatements.ColumnType.TEXT),
                new TableStatements.Column("variant", TableStatements.ColumnType.TEXT),
                // the demo's dimensions: country (NULL for some orgs) and the platform of each exposure
                new TableStatements.Column("country", TableStatements.ColumnType.TEXT),
                new TableStatements.Column("platform", TableStatements.ColumnType.TEXT)));
    }

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "pulse-demo",
            description = "Where to write the data and the config (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--orgs", paramLabel = "N", defaultValue = "3000", description = "Number of orgs (default: ${DEFAULT-VALUE}).")
    int orgs;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "duckdb",
            description = "Where the analysis runs: duckdb (embedded, default) or postgres (the data is copied into"
                    + " tables of --schema on the server of --url).")
    String engine;

    @Option(names = "--url", paramLabel = "JDBC_URL",
            description = "With --engine postgres: the server, such as jdbc:postgresql://127.0.0.1:5432/analytics.")
    String url;

    @Option(names = "--user", paramLabel = "ROLE", description = "With --engine postgres: the role to log in as.")
    String user;

    @Option(names = "--password-env", paramLabel = "VARIABLE",
            description = "With --engine postgres: the environment variable holding the password, such as PGPASSWORD.")
    String passwordEnv;

    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "pulse_demo",
            description = "With --engine postgres: the schema the demo tables events and exposures are (re)created in"
                    + " (default: ${DEFAULT-VALUE}).")
    String schema;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (orgs < 10 || orgs > 1_000_000) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "--orgs must be between 10 and 1000000");
        }
        Optional<WarehouseConfig> server = server();
        PrintWriter out = spec.commandLine().getOut();
        Path folder = dir.toAbsolutePath().normalize();
        Path data = folder.resolve("data");
        Path configFile = folder.resolve("pulse.yaml");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "cannot create " + data + ": " + e.getMessage(), e);
        }

        Comparison naive;
        List<ExperimentResult> results;
        try (Progress progress = Progress.forTerminal(spec.commandLine().getErr())) {
            progress.phase("making the demo data (" + orgs + " orgs) in DuckDB");
            try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
                String script = resource("demo-data.sql")
                        .replace("${orgs}", Integer.toString(orgs))
                        .replace("${data}", data.toString().replace("'", "''"));
                for (String statement : statements(script)) {
                    warehouse.execute(statement);
                }
                naive = naive(warehouse.query(resource("demo-naive.sql")));
                server.ifPresent(postgres -> {
                    progress.phase("copying the demo tables to PostgreSQL");
                    copyToServer(warehouse, postgres, out);
                });
            }
            String yaml = resource("demo-pulse.yaml").replace("${config}", configFile.toString());
            Output.write(server.isPresent() ? onServer(yaml) : yaml, configFile, out);
            // the runnable examples of docs/id-resolution.md and docs/event-level-outcomes.md, over the same data
            for (String example : List.of("id-resolution", "event-level")) {
                Path exampleFile = folder.resolve(example + ".yaml");
                Output.write(resource("demo-" + example + ".yaml").replace("${config}", exampleFile.toString()), exampleFile, out);
            }

            PulseConfig config = ConfigLoader.load(configFile);
            results = AnalysisRun.of(config, List.of(new ExperimentName(EXPERIMENT))).run(progress::phase);
        }
        Output.write(JsonOutput.experiments(results), folder.resolve("results.json"), out);
        Path report = folder.resolve("report.html");
        Output.write(HtmlReport.render(results), report, out);

        out.println(ConsoleTable.experiments(results));
        out.print(contrast(results.get(0), naive));
        out.printf(Locale.ROOT, "%nThe data (%s), the config (%s) and the results (%s) are on disk.%n",
                data, configFile, folder.resolve("results.json"));
        out.printf(Locale.ROOT, "The HTML report: %s%n", report);
        out.printf(Locale.ROOT, "Edit the config and re-run:%n  ./pulse analyze --config %s%n", configFile);
        out.printf(Locale.ROOT, "See the SQL Pulse runs:%n  ./pulse sql --config %s --experiment %s%n", configFile, EXPERIMENT);
        out.printf(Locale.ROOT, "More examples on the same data: a device-randomized test with user-keyed purchases"
                + " (docs/id-resolution.md) and per-purchase and per-visit outcomes (docs/event-level-outcomes.md):%n"
                + "  ./pulse analyze --config %s%n  ./pulse analyze --config %s%n",
                folder.resolve("id-resolution.yaml"), folder.resolve("event-level.yaml"));
        out.flush();
        return 0;
    }

    /** The PostgreSQL warehouse of --engine postgres, or empty for DuckDB; bad combinations are bad input. */
    private Optional<WarehouseConfig> server() {
        boolean serverOptions = url != null || user != null || passwordEnv != null;
        switch (engine) {
            case "duckdb" -> {
                if (serverOptions) {
                    throw new PulseException(PulseException.Category.INPUT_INVALID,
                            "--url, --user and --password-env are for --engine postgres");
                }
                return Optional.empty();
            }
            case "postgres" -> {
                if (url == null) {
                    throw new PulseException(PulseException.Category.INPUT_INVALID,
                            "--engine postgres needs --url, such as jdbc:postgresql://127.0.0.1:5432/analytics");
                }
                if (!url.startsWith("jdbc:postgresql:")) {
                    throw new PulseException(PulseException.Category.INPUT_INVALID,
                            "--url must be a JDBC URL starting with jdbc:postgresql:, got '" + url + "'");
                }
                if (passwordEnv != null && !ServerConnection.isVariableName(passwordEnv)) {
                    throw new PulseException(PulseException.Category.INPUT_INVALID,
                            "--password-env takes the name of an environment variable such as PGPASSWORD, not the password");
                }
                if (!schema.matches("[a-z_][a-z0-9_]*")) {
                    throw new PulseException(PulseException.Category.INPUT_INVALID,
                            "--schema must be a lower-case name such as pulse_demo, got '" + schema + "'");
                }
                return Optional.of(WarehouseConfig.postgres(new ServerConnection(url, Optional.ofNullable(user),
                        Optional.ofNullable(passwordEnv))));
            }
            default -> throw new PulseException(PulseException.Category.INPUT_INVALID,
                    "--engine must be duckdb or postgres, got '" + engine + "'");
        }
    }

    /** Copies the demo's events and exposures from DuckDB into {@code schema} on the server, replacing them. */
    private void copyToServer(Warehouse duckDb, WarehouseConfig postgres, PrintWriter out) {
        try (Warehouse server = Warehouses.open(postgres)) {
            for (Map.Entry<String, List<TableStatements.Column>> table : DEMO_TABLES.entrySet()) {
                long rows = TableCopy.copy(duckDb, new TableName(List.of(table.getKey())), server,
                        new TableName(List.of(schema, table.getKey())), table.getValue());
                out.printf(Locale.ROOT, "Copied %d rows into %s.%s on %s%n", rows, schema, table.getKey(), url);
            }
        }
        out.flush();
    }

    /** The demo config reading the server's tables instead of the Parquet files. */
    private String onServer(String yaml) {
        StringBuilder warehouse = new StringBuilder("warehouse:\n  engine: postgres\n  url: ").append(quoted(url)).append('\n');
        if (user != null) {
            warehouse.append("  user: ").append(quoted(user)).append('\n');
        }
        if (passwordEnv != null) {
            warehouse.append("  password_env: ").append(passwordEnv).append("   # the variable holding the password\n");
        }
        String result = yaml;
        for (String table : DEMO_TABLES.keySet()) {
            String path = "    path: data/" + table + ".parquet";
            if (!result.contains(path)) {
                throw new IllegalStateException("the demo config lacks '" + path.strip() + "'");
            }
            result = result.replace(path, "    table: " + schema + "." + table);
        }
        return result.replace("\nsources:\n", "\n" + warehouse + "\nsources:\n");
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The naive comparison: users as the unit of analysis, as if they had been randomized. */
    private static Comparison naive(QueryResult rows) {
        GroupMoments control = null;
        GroupMoments treatment = null;
        for (QueryResult.Row row : rows.rows()) {
            GroupMoments moments = GroupMoments.ofUnitDenominator(
                    row.getLong("n"), row.getDouble("mean"), row.getDouble("variance"));
            switch (row.getString("variant")) {
                case "control" -> control = moments;
                case "treatment" -> treatment = moments;
                default -> throw new IllegalStateException("unexpected variant " + row.getString("variant"));
            }
        }
        if (control == null || treatment == null) {
            throw new IllegalStateException("the demo data lacks a group");
        }
        return DeltaMethodComparison.compare(control, treatment, 0.05);
    }

    private static String contrast(ExperimentResult result, Comparison naive) {
        Comparison pulse = result.metrics().stream()
                .filter(m -> m.metric().equals(METRIC))
                .findFirst()
                .map(MetricResult::comparisons)
                .orElseThrow()
                .get(0)
                .statistics();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%nWhy it matters: revenue per user, treatment vs control%n"));
        text.append(String.format(Locale.ROOT, "  %-44s %9s  %-22s  %s%n", "", "lift", "95% CI", "p-value"));
        text.append(line("Pulse (orgs as units, delta method)", pulse));
        text.append(line("naive t-test (users as independent units)", naive));
        if (pulse.relative().stdError() != null && naive.relative().stdError() != null && naive.relative().stdError() > 0) {
            text.append(String.format(Locale.ROOT,
                    "The estimates agree, but users in one org are correlated: the naive standard error is %.1fx too small,%n"
                            + "so its interval is too narrow and its p-value too small. On data like this a naive test \"finds\"%n"
                            + "effects in far more than 5%% of A/A tests; Pulse's false-positive rate stays at alpha.%n",
                    pulse.relative().stdError() / naive.relative().stdError()));
        }
        return text.toString();
    }

    private static String line(String label, Comparison comparison) {
        return String.format(Locale.ROOT, "  %-44s %+8.2f%%  [%+7.2f%%, %+7.2f%%]  %s%s%n", label,
                100 * orZero(comparison.relative().estimate()),
                100 * orZero(comparison.relative().lower()), 100 * orZero(comparison.relative().upper()),
                comparison.pValue() == null ? "-" : String.format(Locale.ROOT, "%.4f", comparison.pValue()),
                comparison.significant() ? "  significant" : "");
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    /** The statements of a script whose statements end with ';' at the end of a line. */
    static List<String> statements(String script) {
        return java.util.Arrays.stream(script.split(";\\s*(\\R|$)"))
                .map(statement -> statement.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip())
                .filter(statement -> !statement.isEmpty())
                .toList();
    }

    private static String resource(String name) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
