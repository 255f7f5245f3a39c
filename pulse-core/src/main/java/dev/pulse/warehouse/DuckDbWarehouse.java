package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Embedded DuckDB over JDBC: in memory, or the config's database file. DuckDB closes a
 * {@link Statement} after a failed query, so each query gets a new one (TOOLCHAIN).
 */
public final class DuckDbWarehouse implements Warehouse {
    /**
     * Test hook, read only by the DuckDB and PostgreSQL warehouses: milliseconds to sleep inside
     * {@link #transaction} after its work and before the commit, so that a test can kill the process while a
     * write is open, or start a second writer then. When set, a line
     * starting with {@link #PAUSE_MARKER} goes to stderr as the pause begins. Unset: no pause.
     */
    public static final String PAUSE_BEFORE_COMMIT_PROPERTY = "pulse.test.pauseBeforeCommitMillis";
    /** The start of the stderr line announcing the test pause. */
    public static final String PAUSE_MARKER = "pulse test hook: pausing before commit";

    /**
     * Opt-in profiling for benchmarks (bench/README.md): the folder named by this environment variable receives
     * DuckDB's JSON profile of every statement Pulse runs, one file each ({@code <pid>-<n>.json}, in the order run),
     * so that the rows and bytes a run reads can be summed. Unset: no profiling.
     */
    public static final String PROFILE_DIR_ENV = "PULSE_DUCKDB_PROFILE_DIR";

    private final Connection connection;
    private final Cancellation cancellation = new Cancellation();
    private final Optional<Path> profileDir;
    private final AtomicInteger profiled = new AtomicInteger();

    private DuckDbWarehouse(Connection connection, Optional<Path> profileDir) {
        this.connection = Objects.requireNonNull(connection);
        this.profileDir = Objects.requireNonNull(profileDir);
    }

    /**
     * Opens the warehouse of {@code config}, which must be a DuckDB one. The session time zone is
     * set to UTC so that timestamps with a time zone compare with Pulse's UTC literals as docs/concepts.md
     * says.
     */
    public static DuckDbWarehouse open(WarehouseConfig config) {
        return open(config, Optional.ofNullable(System.getenv(PROFILE_DIR_ENV)).filter(dir -> !dir.isBlank()).map(Path::of));
    }

    /** {@link #open(WarehouseConfig)}, writing each statement's JSON profile into {@code profileDir} when present. */
    static DuckDbWarehouse open(WarehouseConfig config, Optional<Path> profileDir) {
        if (config.engine() != Engine.DUCKDB) {
            throw new IllegalArgumentException("not a DuckDB warehouse: " + config.engine());
        }
        String url = "jdbc:duckdb:" + config.database().map(path -> path.toAbsolutePath().toString()).orElse("");
        Connection connection;
        try {
            connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw Jdbc.failed("cannot open DuckDB database " + config.database().map(Object::toString).orElse("(in memory)"), e);
        }
        DuckDbWarehouse warehouse = new DuckDbWarehouse(connection, profileDir);
        try {
            warehouse.setting("SET TimeZone = 'UTC'");
            if (profileDir.isPresent()) {
                try {
                    Files.createDirectories(profileDir.get());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create " + PROFILE_DIR_ENV + " " + profileDir.get(), e);
                }
                // ALL: also the CREATE TABLE … AS and INSERT … SELECT of an incremental refresh, not only SELECTs
                warehouse.setting("SET enable_profiling = 'json'"); // before the output: a .json file needs it
                warehouse.setting("SET profiling_output = " + warehouse.profileFile(1));
                warehouse.setting("SET profiling_coverage = 'ALL'");
            }
        } catch (PulseException e) {
            warehouse.close();
            throw e;
        }
        return warehouse;
    }

    @Override
    public Engine engine() {
        return Engine.DUCKDB;
    }

    /** Failures of {@link #execute} and {@link #query} carry exactly DuckDB's message. */
    @Override
    public void execute(String sql) {
        Jdbc.execute(connection, cancellation, this::oneStatement, sql);
    }

    @Override
    public QueryResult query(String sql) {
        return Jdbc.query(connection, cancellation, this::oneStatement, sql);
    }

    @Override
    public void execute(String sql, List<?> parameters) {
        Jdbc.executeBatch(connection, cancellation, this::oneStatement, sql, List.of(new ArrayList<Object>(parameters)));
    }

    @Override
    public QueryResult query(String sql, List<?> parameters) {
        return Jdbc.query(connection, cancellation, this::oneStatement, sql, parameters);
    }

    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        Jdbc.forEachBatch(connection, cancellation, this::oneStatement, sql, batchSize, consumer);
    }

    /**
     * DuckDB's DDL is transactional: a table dropped and created again inside the transaction is
     * replaced for other readers only at the commit, and a process killed before it leaves the
     * database file as it was (the write-ahead log holds only committed transactions).
     */
    @Override
    public void transaction(Consumer<Transaction> work) {
        if (profileDir.isEmpty()) {
            Jdbc.transaction(connection, cancellation, this::oneStatement, work);
            return;
        }
        // the driver's BEGIN (at setAutoCommit(false)) and its COMMIT (and the BEGIN and COMMIT it runs after it)
        // are profiled too: each into a file of its own, not over the last statement's profile
        setting("SET profiling_output = " + profileFile(profiled.incrementAndGet()));
        Jdbc.transaction(connection, cancellation, this::oneStatement, transaction -> {
            work.accept(transaction);
            setting("SET profiling_output = " + profileFile(profiled.incrementAndGet()));
        });
    }

    /**
     * DuckDB's JDBC driver runs every statement of a text: refuse one that holds more than one. When profiling,
     * point DuckDB's profile output at the next file first: the check's own query is profiled too, into that file,
     * which the statement's profile then replaces.
     */
    private void oneStatement(String sql) {
        if (profileDir.isPresent()) {
            setting("SET profiling_output = " + profileFile(profiled.incrementAndGet()));
        }
        OneStatement.duckDb(connection, sql);
    }

    private String profileFile(int n) {
        Path file = profileDir.orElseThrow().resolve("%d-%05d.json".formatted(ProcessHandle.current().pid(), n));
        return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    // a SET of the profiling hook, outside the statement count
    private void setting(String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw Jdbc.failed("cannot set up DuckDB's profiling (" + PROFILE_DIR_ENV + ")", e);
        }
    }

    /** The pause of {@link #PAUSE_BEFORE_COMMIT_PROPERTY}, if set. */
    static void pauseForTests() {
        long millis = Long.getLong(PAUSE_BEFORE_COMMIT_PROPERTY, 0L);
        if (millis > 0) {
            System.err.println(PAUSE_MARKER + " for " + millis + " ms");
            System.err.flush();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** DuckDB interrupts the query running now; it fails with "INTERRUPT Error: Interrupted!". */
    @Override
    public void cancel() {
        cancellation.cancel();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw Jdbc.failed("cannot close DuckDB", e);
        }
    }
}
