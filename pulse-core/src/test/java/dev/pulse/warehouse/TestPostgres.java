package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the tests, from the environment {@code .ci/run} sets: {@code PULSE_TEST_PG_URL},
 * {@code PULSE_TEST_PG_USER} and the password in {@code PGPASSWORD}. Without a URL a test is skipped,
 * unless {@code PULSE_REQUIRE_POSTGRES} is set (CI sets it), when it fails.
 */
public final class TestPostgres {
    /** The variable naming the server. */
    public static final String URL_VARIABLE = "PULSE_TEST_PG_URL";
    /** The variable naming the role. */
    public static final String USER_VARIABLE = "PULSE_TEST_PG_USER";
    /** The variable holding the password (the one the configs of the tests name). */
    public static final String PASSWORD_VARIABLE = "PGPASSWORD";
    /** Set (to anything) to make a missing server a failure instead of a skip. */
    public static final String REQUIRE_VARIABLE = "PULSE_REQUIRE_POSTGRES";

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private TestPostgres() {}

    /** The server's warehouse config; skips or fails the calling test when there is none. */
    public static WarehouseConfig config() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if (System.getenv(REQUIRE_VARIABLE) != null) {
                fail(REQUIRE_VARIABLE + " is set but " + URL_VARIABLE + " is not: no PostgreSQL to test against");
            }
            Assumptions.abort("no PostgreSQL: set " + URL_VARIABLE + " (and " + USER_VARIABLE + ", " + PASSWORD_VARIABLE
                    + ") or run .ci/run");
        }
        Optional<String> password = System.getenv(PASSWORD_VARIABLE) == null ? Optional.empty() : Optional.of(PASSWORD_VARIABLE);
        return WarehouseConfig.postgres(new ServerConnection(url, Optional.ofNullable(System.getenv(USER_VARIABLE)), password));
    }

    /**
     * A connection whose {@code search_path} is a new, empty schema, so unqualified table names in a
     * test's configs resolve there; closing it drops the schema.
     */
    public static Schema freshSchema(String prefix) {
        Warehouse warehouse = PostgresWarehouse.open(config());
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet()).toLowerCase(Locale.ROOT);
        warehouse.execute("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
        warehouse.execute("CREATE SCHEMA \"" + name + "\"");
        warehouse.execute("SET search_path TO \"" + name + "\"");
        return new Schema(name, warehouse);
    }

    /** A test's schema and the connection using it. */
    public record Schema(String name, Warehouse warehouse) implements AutoCloseable {
        @Override
        public void close() {
            try {
                warehouse.execute("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
            } finally {
                warehouse.close();
            }
        }
    }
}
