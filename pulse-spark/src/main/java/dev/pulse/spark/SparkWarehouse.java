package dev.pulse.spark;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Transaction;
import dev.pulse.warehouse.Warehouse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark SQL over a {@link SparkSession}: the session {@code spark-submit} (or a notebook) already runs, or a
 * new one from the config's {@code master} and {@code conf}. Pulse's SQL reads catalog tables, Parquet
 * files and CSV files (through temporary views it registers in {@link #setUp}); only the per-group moments
 * (a few rows) are collected to the driver.
 *
 * <p>The session is set to the UTC time zone ({@code spark.sql.session.timeZone}), so Pulse's
 * {@code TIMESTAMP '…'} literals are UTC wall-clock times, to java.time values
 * ({@code spark.sql.datetime.java8API.enabled}) and to backslash escapes in string literals
 * ({@code spark.sql.parser.escapedStringLiterals} off). Values read from the data reach a statement only as
 * parameters ({@link #query(String, List)}). A session Pulse started is stopped on {@link #close()};
 * one it found running is left running.
 *
 * <p>Spark has no multi-statement transactions: {@link #transaction} fails (SQL_UNSUPPORTED). Pulse's tables do
 * without: a staging table is built beside the old one and renamed over it
 * ({@code dev.pulse.sql.TableStatements#replaceTable}), the results table overwrites partitions
 * ({@code dev.pulse.sql.Dialect#partitionOverwrite}).
 */
public final class SparkWarehouse implements Warehouse {
    /** See {@link #configure}. */
    static final Map<String, String> SESSION_SETTINGS = Map.of(
            "spark.sql.session.timeZone", "UTC",
            "spark.sql.datetime.java8API.enabled", "true",
            "spark.sql.parser.escapedStringLiterals", "false");

    private final SparkSession session;
    private final boolean started;
    /** Set by {@link #cancel}, from any thread. */
    private volatile boolean cancelled;
    /** Setup statements run (CSV views registered) on this warehouse: each is run once, not once per statement. */
    private final Set<String> setUp = ConcurrentHashMap.newKeySet();

    private SparkWarehouse(SparkSession session, boolean started) {
        this.session = Objects.requireNonNull(session);
        this.started = started;
    }

    /**
     * The Spark warehouse of {@code config}: the active session, or a new one with the config's master and
     * settings (under {@code spark-submit}, its {@code --master} and {@code --conf} apply).
     *
     * @throws PulseException WAREHOUSE_FAILED when Spark cannot start, with Spark's message
     */
    public static SparkWarehouse open(WarehouseConfig config) {
        if (config.engine() != Engine.SPARK) {
            throw new IllegalArgumentException("not a Spark warehouse: " + config.engine());
        }
        SparkSettings settings = config.spark().orElseThrow();
        boolean running = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        SparkSession session;
        try {
            SparkSession.Builder builder = SparkSession.builder().appName("pulse");
            settings.master().ifPresent(builder::master);
            settings.conf().forEach(builder::config);
            session = builder.getOrCreate();
            configure(session);
        } catch (Exception e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "cannot start Spark: " + message(e)
                    + (settings.master().isEmpty() ? " (run through spark-submit, or set warehouse.master such as local[2])" : ""), e);
        }
        return new SparkWarehouse(session, !running);
    }

    /** A warehouse over a session the caller owns (and stops): for tests and embedding. */
    public static SparkWarehouse over(SparkSession session) {
        configure(session);
        return new SparkWarehouse(session, false);
    }

    /**
     * The session settings Pulse's SQL relies on, whatever the cluster or the config's {@code conf} says: UTC,
     * java.time values, and string literals whose backslashes are escapes ({@code escapedStringLiterals} off, as
     * {@code SparkDialect.stringLiteral} writes them; on, {@code 'it\\'s'} would read as {@code it\'s}).
     */
    private static void configure(SparkSession session) {
        for (Map.Entry<String, String> setting : SESSION_SETTINGS.entrySet()) {
            session.conf().set(setting.getKey(), setting.getValue());
        }
    }

    @Override
    public Engine engine() {
        return Engine.SPARK;
    }

    /** Runs a command (DDL, INSERT, CREATE VIEW); Spark runs commands as soon as they are parsed. */
    @Override
    public void execute(String sql) {
        refuseIfCancelled();
        try {
            session.sql(sql);
        } catch (Exception e) { // AnalysisException is checked in Java, though Scala throws it undeclared
            throw failed(e);
        }
    }

    /**
     * Runs each statement this warehouse has not run yet. Registering a CSV view infers its schema, a pass
     * over the files; once per run is enough (the view keeps the schema).
     */
    @Override
    public void setUp(List<String> statements) {
        for (String statement : statements) {
            if (!setUp.contains(statement)) {
                execute(statement);
                setUp.add(statement);
            }
        }
    }

    @Override
    public QueryResult query(String sql) {
        refuseIfCancelled();
        try {
            return collect(session.sql(sql));
        } catch (Exception e) {
            throw failed(e);
        }
    }

    /**
     * Spark's parameterized query ({@code SparkSession.sql(text, args)}) with the named markers
     * {@code SparkDialect.parameter} writes, {@code :p0}, {@code :p1}, … for {@code parameters} in order: each
     * value becomes a literal in the analysed plan, never SQL text that the parser reads.
     */
    @Override
    public QueryResult query(String sql, List<?> parameters) {
        refuseIfCancelled();
        try {
            return collect(session.sql(sql, named(parameters)));
        } catch (Exception e) {
            throw failed(e);
        }
    }

    /** Runs a command with parameters, bound as {@link #query(String, List)} binds them. */
    @Override
    public void execute(String sql, List<?> parameters) {
        refuseIfCancelled();
        try {
            session.sql(sql, named(parameters));
        } catch (Exception e) {
            throw failed(e);
        }
    }

    private static Map<String, Object> named(List<?> parameters) {
        Map<String, Object> named = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            named.put("p" + i, parameters.get(i));
        }
        return named;
    }

    private static QueryResult collect(Dataset<Row> frame) {
        List<String> columns = List.of(frame.columns());
        List<QueryResult.Row> rows = new ArrayList<>();
        for (Row row : frame.collectAsList()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                values.put(columns.get(i), row.get(i));
            }
            rows.add(new QueryResult.Row(values));
        }
        return new QueryResult(columns, rows);
    }

    /** Streams the rows partition by partition ({@code toLocalIterator}); timestamps as UTC {@link LocalDateTime}. */
    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("a batch holds at least one row: " + batchSize);
        }
        refuseIfCancelled();
        try {
            Iterator<Row> rows = session.sql(sql).toLocalIterator();
            List<List<Object>> batch = new ArrayList<>();
            while (rows.hasNext()) {
                Row row = rows.next();
                List<Object> values = new ArrayList<>(row.size());
                for (int i = 0; i < row.size(); i++) {
                    Object value = row.get(i);
                    values.add(value instanceof Instant instant ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : value);
                }
                batch.add(values);
                if (batch.size() == batchSize) {
                    consumer.accept(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                consumer.accept(batch);
            }
        } catch (PulseException e) {
            throw e;
        } catch (Exception e) {
            throw failed(e);
        }
    }

    /** @throws PulseException SQL_UNSUPPORTED always: Spark cannot commit several statements at once */
    @Override
    public void transaction(Consumer<Transaction> work) {
        throw new PulseException(PulseException.Category.SQL_UNSUPPORTED,
                "engine spark has no transactions: it cannot commit several statements at once; see docs/spark.md");
    }

    /**
     * Cancels the Spark jobs of this session that run now ({@code SparkSession.interruptAll}, which leaves other
     * sessions' jobs alone), and, like the JDBC warehouses, refuses every later statement of this warehouse,
     * so that a cancel landing between two statements still stops the work. The session itself stays usable
     * by other warehouses over it.
     */
    @Override
    public void cancel() {
        cancelled = true;
        session.interruptAll();
    }

    private void refuseIfCancelled() {
        if (cancelled) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED,
                    "cancelled: this warehouse runs no more statements");
        }
    }

    /** Stops the session if this warehouse started it. */
    @Override
    public void close() {
        if (started) {
            try {
                session.stop();
            } catch (RuntimeException e) {
                throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "cannot stop Spark: " + message(e), e);
            }
        }
    }

    private static PulseException failed(Exception e) {
        return new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e), e);
    }

    /**
     * Spark's message up to the SQL excerpt it appends ({@code == SQL (line 3, position 8) ==}), which repeats
     * Pulse's own SQL (printed by {@code pulse sql}). A file that cannot be read ({@code FAILED_READ_FILE}, such as
     * a malformed CSV row) says why only in its innermost cause, which is added; also when Spark reports it
     * inside several failures of one stage ({@code STAGE_MATERIALIZATION_MULTIPLE_FAILURES}), whose causes are
     * attached as the cause and as suppressed exceptions.
     */
    static String message(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int excerpt = message.indexOf("\n== SQL");
        message = (excerpt >= 0 ? message.substring(0, excerpt) : message).strip();
        if (message.contains("[FAILED_READ_FILE")) {
            Throwable cause = innermost(e);
            if (cause != e && cause.getMessage() != null) {
                message += ": " + cause.getMessage().strip();
            }
        }
        return message;
    }

    /** Follows causes, or else the first suppressed exception, down to the last one. */
    private static Throwable innermost(Throwable e) {
        Throwable current = e;
        for (int step = 0; step < 64; step++) {
            Throwable next = current.getCause() != null ? current.getCause()
                    : current.getSuppressed().length > 0 ? current.getSuppressed()[0] : null;
            if (next == null || next == current) {
                break;
            }
            current = next;
        }
        return current;
    }
}
