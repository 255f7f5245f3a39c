package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.Warehouses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on PostgreSQL (docs/architecture.md#how-pulse-is-tested, engines): the demo generated in DuckDB, copied
 * into PostgreSQL tables by {@code pulse demo --engine postgres} and analysed there with {@code table:} sources, gives
 * the DuckDB demo's JSON numbers to 1e-9 relative; connection and SQL failures exit 3, a missing
 * password variable exits 2. The server comes from {@code PULSE_TEST_PG_URL}, {@code PULSE_TEST_PG_USER}
 * and {@code PGPASSWORD} (set by {@code .ci/run}); without them the tests are skipped unless
 * {@code PULSE_REQUIRE_POSTGRES} is set.
 */
class PostgresCliTest {
    private static final double RELATIVE = 1e-9;
    private static final String ORGS = "1000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;

    private static String url;
    private static String user;
    private static String schema;

    @BeforeAll
    static void server() {
        url = System.getenv("PULSE_TEST_PG_URL");
        user = System.getenv("PULSE_TEST_PG_USER");
        if (url == null || url.isBlank()) {
            if (System.getenv("PULSE_REQUIRE_POSTGRES") != null) {
                fail("PULSE_REQUIRE_POSTGRES is set but PULSE_TEST_PG_URL is not: no PostgreSQL to test against");
            }
            Assumptions.abort("no PostgreSQL: set PULSE_TEST_PG_URL (and PULSE_TEST_PG_USER, PGPASSWORD) or run .ci/run");
        }
        schema = "pulse_demo_cli_" + ProcessHandle.current().pid();
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            try (Warehouse warehouse = Warehouses.open(WarehouseConfig.postgres(new ServerConnection(url,
                    Optional.ofNullable(user), Optional.of("PGPASSWORD"))))) {
                warehouse.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }

    private static List<String> serverOptions() {
        List<String> options = new ArrayList<>(List.of("--engine", "postgres", "--url", url, "--password-env", "PGPASSWORD",
                "--schema", schema));
        if (user != null) {
            options.addAll(List.of("--user", user));
        }
        return options;
    }

    @Test
    void theDemoOnPostgresGivesTheDuckDbNumbers() throws IOException {
        CliTest.Run duckDb = CliTest.run("demo", "--dir", folder.resolve("duckdb").toString(), "--orgs", ORGS);
        assertEquals(0, duckDb.code(), duckDb.err());
        List<String> args = new ArrayList<>(List.of("demo", "--dir", folder.resolve("postgres").toString(), "--orgs", ORGS));
        args.addAll(serverOptions());
        CliTest.Run postgres = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, postgres.code(), postgres.err());
        assertTrue(postgres.out().contains("rows into " + schema + ".events"), postgres.out());
        Path config = folder.resolve("postgres/pulse.yaml");
        String yaml = Files.readString(config);
        assertTrue(yaml.contains("engine: postgres") && yaml.contains("table: " + schema + ".events")
                && yaml.contains("password_env: PGPASSWORD") && !yaml.contains("path: data/"), yaml);

        JsonNode expected = JSON.readTree(folder.resolve("duckdb/results.json").toFile());
        JsonNode demoResults = JSON.readTree(folder.resolve("postgres/results.json").toFile());
        assertEquals("postgres", demoResults.get("experiments").get(0).get("engine").asText());
        assertEquivalent(expected, demoResults, "$");

        CliTest.Run analyze = CliTest.run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, analyze.code(), analyze.err());
        assertEquivalent(expected, JSON.readTree(analyze.out()), "$");

        // an experiment with no units, explained from the server's exposures table (its own statements)
        Path typo = folder.resolve("postgres/typo.yaml");
        Files.writeString(typo, yaml.replace("  pricing_v2:\n", "  pricing_v3:\n"));
        CliTest.Run empty = CliTest.run("analyze", "--config", typo.toString());
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().contains("experiment 'pricing_v3' has no units") && empty.err().contains(
                "(did you mean 'pricing_v2'? it has: onboarding_v1, pricing_v2)"), empty.err());
        Path later = folder.resolve("postgres/later.yaml");
        Files.writeString(later, yaml.replace("start: 2026-03-01", "start: 2027-03-01").replace("end: 2026-03-28", "end: 2027-03-28"));
        CliTest.Run none = CliTest.run("analyze", "--config", later.toString());
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("its exposures run from 2026-03-01 to"), none.err());
    }

    @Test
    void aMissingPasswordVariableExits2NamingIt() throws IOException {
        Path config = write("missing-password.yaml", "warehouse: {engine: postgres, url: '" + url + "', "
                + "password_env: PULSE_TEST_NO_SUCH_VARIABLE}\n");
        CliTest.Run run = CliTest.run("analyze", "--config", config.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("PULSE_TEST_NO_SUCH_VARIABLE is not set"), run.err());
    }

    @Test
    void anUnreachableServerExits3() throws IOException {
        Path config = write("unreachable.yaml", "warehouse: {engine: postgres, url: 'jdbc:postgresql://127.0.0.1:1/none'}\n");
        CliTest.Run run = CliTest.run("analyze", "--config", config.toString());
        assertEquals(3, run.code(), run.err());
        assertTrue(run.err().contains("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/none"), run.err());
    }

    @Test
    void aMissingTableExits3WithTheServersMessage() throws IOException {
        Path config = write("missing-table.yaml", "warehouse: {engine: postgres, url: '" + url + "', password_env: PGPASSWORD"
                + (user == null ? "" : ", user: '" + user + "'") + "}\n");
        CliTest.Run run = CliTest.run("analyze", "--config", config.toString());
        assertEquals(3, run.code(), run.err());
        assertTrue(run.err().contains("pulse_no_such_schema.exposures") && run.err().contains("does not exist"), run.err());
    }

    @Test
    void theDemoNeedsAUrlForPostgres() {
        CliTest.Run run = CliTest.run("demo", "--dir", folder.resolve("no-url").toString(), "--engine", "postgres");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("--engine postgres needs --url"), run.err());
    }

    private static Path write(String name, String warehouse) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, warehouse + """
                sources:
                  exposures: {table: pulse_no_such_schema.exposures, timestamp: ts, ids: {org_id: org_id},
                              experiment: experiment_name, group: variant}
                metrics:
                  exposures: {type: count, source: exposures}
                experiments:
                  pricing_v2: {assignment: exposures, unit: org_id, control: control, start: 2026-03-01, metrics: [exposures]}
                """);
        return file;
    }

    private static void assertEquivalent(JsonNode expected, JsonNode actual, String path) {
        if (expected.isNumber() && actual.isNumber()) {
            double e = expected.doubleValue();
            double a = actual.doubleValue();
            assertTrue(Math.abs(e - a) <= RELATIVE * Math.max(Math.abs(e), Math.abs(a)), path + ": " + e + " vs " + a);
        } else if (expected.isObject()) {
            List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            List<String> actualNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            assertEquals(names, actualNames, path);
            for (String name : names) {
                if (!name.equals("engine")) {
                    assertEquivalent(expected.get(name), actual.get(name), path + "." + name);
                }
            }
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path + " size");
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            for (JsonNode e : expected) {
                assertEquivalent(e, a.next(), path + "[" + i++ + "]");
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
