package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.Engine;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.ServerConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engine: snowflake} and {@code engine: redshift}: read as server engines with their URL prefixes, file
 * sources refused naming the engine, and on Redshift the metrics that need ordered aggregates refused where they
 * are written.
 */
class SnowflakeRedshiftConfigTest {
    private static final String SOURCES = """
            sources:
              exposures: {table: analytics.exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
              events: {table: analytics.events, timestamp: ts, ids: {user_id: user_id}}
            """;

    @TempDir
    Path folder;

    private Path write(String text) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, text);
        return file;
    }

    private List<String> problems(Path file) {
        return ConfigLoader.problems(file).stream().map(p -> p.line() + ":" + p.column() + " " + p.path() + ": " + p.message())
                .toList();
    }

    private static String rest(String metrics, String names) {
        return SOURCES + "metrics:\n" + metrics + "experiments:\n"
                + "  exp: {assignment: exposures, unit: user_id, control: a, start: 2026-01-01, metrics: [" + names + "]}\n";
    }

    @Test
    void snowflakeIsAServerEngineWithItsUrlPrefix() throws IOException {
        PulseConfig config = ConfigLoader.load(write("""
                warehouse:
                  engine: snowflake
                  url: jdbc:snowflake://acme.snowflakecomputing.com/?db=ANALYTICS&warehouse=PULSE_WH
                  user: PULSE
                  password_env: SNOWFLAKE_PASSWORD
                """ + rest("  revenue: {type: sum, source: events, value: revenue}\n"
                + "  p90: {type: percentile, source: events, value: latency, percentile: 0.9}\n", "revenue, p90")));
        assertEquals(Engine.SNOWFLAKE, config.warehouse().engine());
        assertEquals(Optional.of(new ServerConnection("jdbc:snowflake://acme.snowflakecomputing.com/?db=ANALYTICS&warehouse=PULSE_WH",
                Optional.of("PULSE"), Optional.of("SNOWFLAKE_PASSWORD"))), config.warehouse().server());
    }

    @Test
    void redshiftIsAServerEngineWithItsUrlPrefix() throws IOException {
        PulseConfig config = ConfigLoader.load(write("""
                warehouse: {engine: redshift, url: 'jdbc:redshift://example.abc.us-east-1.redshift.amazonaws.com:5439/dev', user: pulse, password_env: REDSHIFT_PASSWORD}
                """ + rest("  revenue: {type: sum, source: events, value: revenue}\n", "revenue")));
        assertEquals(Engine.REDSHIFT, config.warehouse().engine());
    }

    @Test
    void aWrongUrlNamesThePrefix() throws IOException {
        List<String> problems = problems(write("warehouse: {engine: snowflake, url: 'jdbc:redshift://host:5439/dev'}\n"
                + rest("  revenue: {type: sum, source: events, value: revenue}\n", "revenue")));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(true, problems.get(0).startsWith("1:37 warehouse.url: expected a JDBC URL starting with jdbc:snowflake:"),
                problems.get(0));
    }

    @Test
    void aFileSourceNamesTheEngine() throws IOException {
        for (String engine : List.of("snowflake", "redshift")) {
            List<String> problems = problems(write("warehouse: {engine: " + engine + ", url: 'jdbc:" + engine + "://host/db'}\n"
                    + """
                    sources:
                      exposures: {path: exposures.parquet, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
                    metrics:
                      clicks: {type: count, source: exposures}
                    experiments:
                      exp: {assignment: exposures, unit: user_id, control: a, start: 2026-01-01, metrics: [clicks]}
                    """));
            assertEquals(1, problems.size(), problems.toString());
            assertEquals(true, problems.get(0).startsWith("3:21 sources.exposures.path: engine " + engine + " cannot read files"),
                    problems.get(0));
        }
    }

    @Test
    void redshiftRefusesTheMetricsThatNeedOrderedAggregatesWhereTheyAreWritten() throws IOException {
        Path file = write("warehouse: {engine: redshift, url: 'jdbc:redshift://host:5439/dev'}\n" + rest("""
                  p90: {type: percentile, source: events, value: latency, percentile: 0.9}
                  first_plan: {type: first_value, source: events, value: price}
                  last_plan: {type: latest_value, source: events, value: price}
                  capped: {type: sum, source: events, value: revenue, winsorize: {upper: 0.99}}
                  revenue: {type: sum, source: events, value: revenue}
                """, "p90, first_plan, last_plan, capped, revenue"));
        String why = "engine redshift cannot run it: a statement's sort-based aggregates must share one ORDER BY and there"
                + " is no ARRAY_AGG (docs/redshift.md)";
        String other = "; use engine duckdb, postgres, spark or snowflake for it";
        assertEquals(List.of(
                "6:15 metrics.p90.type: a percentile metric is not supported on " + why + other,
                "7:22 metrics.first_plan.type: a first_value metric is not supported on " + why + other,
                "8:21 metrics.last_plan.type: a latest_value metric is not supported on " + why + other,
                "9:66 metrics.capped.winsorize: winsorize is not supported on " + why + "; remove winsorize"),
                problems(file));
    }

    @Test
    void snowflakeAcceptsThem() throws IOException {
        Path file = write("warehouse: {engine: snowflake, url: 'jdbc:snowflake://acme.snowflakecomputing.com'}\n" + rest("""
                  p90: {type: percentile, source: events, value: latency, percentile: 0.9}
                  first_plan: {type: first_value, source: events, value: price}
                  capped: {type: sum, source: events, value: revenue, winsorize: {upper: 0.99}}
                """, "p90, first_plan, capped"));
        assertEquals(List.of(), problems(file));
    }
}
