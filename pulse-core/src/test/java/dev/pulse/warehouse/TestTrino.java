package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.Dialects;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

/**
 * The real Trino of the tests: one single-node Trino 483 per test JVM, with the memory connector as catalog
 * {@code memory}, started on first use as a child JVM of the Java 25 that {@code PULSE_TRINO_JAVA} names (default
 * the Temurin 25 under /usr/lib/jvm). The child runs {@code pulse-trino-server/src/main/launcher/TrinoLauncher.java}
 * in source-file mode on the classpath that the {@code pulse-trino-server} module resolved from Maven Central
 * ({@code target/trino-server.classpath}), so none of Trino's Java 25 classes meet Pulse's Java 17 build. The child
 * stops when its stdin closes, so a test JVM that dies takes it along.
 *
 * <p>Without that Java a test is skipped, unless {@code PULSE_REQUIRE_TRINO} is set (CI sets it), when it fails.
 */
public final class TestTrino {
    /** The variable naming the Java 25 {@code java} binary. */
    public static final String JAVA_VARIABLE = "PULSE_TRINO_JAVA";
    /** Set (to anything) to make a missing Java 25 or server classpath a failure instead of a skip. */
    public static final String REQUIRE_VARIABLE = "PULSE_REQUIRE_TRINO";
    private static final String DEFAULT_JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    private static final String URL_LINE = "PULSE_TRINO_URL=";
    private static final int START_SECONDS = 240;

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String baseUrl;
    private static Process server;

    private TestTrino() {}

    /** {@code jdbc:trino://127.0.0.1:port} of the running server; starts it on first use, or skips/fails the test. */
    public static synchronized String baseUrl() {
        if (baseUrl == null) {
            baseUrl = start();
        }
        return baseUrl;
    }

    private static String start() {
        Path java = Path.of(Optional.ofNullable(System.getenv(JAVA_VARIABLE)).orElse(DEFAULT_JAVA));
        Path classpath = Path.of(System.getProperty("pulse.trino.classpath", "../pulse-trino-server/target/trino-server.classpath"));
        Path launcher = Path.of(System.getProperty("pulse.trino.launcher", "../pulse-trino-server/src/main/launcher/TrinoLauncher.java"));
        if (!Files.isExecutable(java) || !Files.isRegularFile(classpath) || !Files.isRegularFile(launcher)) {
            String why = "no Trino to test against: " + (!Files.isExecutable(java) ? "no Java 25 at " + java + " (set "
                    + JAVA_VARIABLE + ")" : "no " + (Files.isRegularFile(classpath) ? launcher : classpath
                    + " (built by the pulse-trino-server module)"));
            if (System.getenv(REQUIRE_VARIABLE) != null) {
                fail(REQUIRE_VARIABLE + " is set but there is " + why);
            }
            Assumptions.abort(why);
        }
        long started = System.nanoTime();
        try {
            Path log = Path.of("target", "trino-server.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx1g", "-XX:+UseSerialGC",
                    "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "-cp", Files.readString(classpath).strip(), launcher.toString())
                    .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    process.getOutputStream().close();
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (IOException | InterruptedException e) {
                    process.destroyForcibly();
                }
            }));
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                Future<String> url = reader.submit(() -> {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith(URL_LINE)) {
                            return line.substring(URL_LINE.length());
                        }
                    }
                    return null;
                });
                String found = url.get(START_SECONDS, TimeUnit.SECONDS);
                if (found == null) {
                    fail("the Trino test server stopped before it started; see " + log);
                }
                server = process;
                System.err.printf(Locale.ROOT, "TestTrino: Trino 483 at %s started in %.1f s%n", found,
                        (System.nanoTime() - started) / 1e9);
                return found;
            } finally {
                reader.shutdownNow();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Trino test server (log in target/trino-server.log)", e);
        }
    }

    /** The warehouse config of schema {@code schema} in catalog {@code memory}, as a user {@code pulse} without password. */
    public static WarehouseConfig config(String schema) {
        return new WarehouseConfig(Engine.TRINO, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new ServerConnection(baseUrl() + "/memory/" + schema, Optional.of("pulse"), Optional.empty())),
                Optional.empty());
    }

    /** A connection whose default schema is a new, empty one in catalog {@code memory}; closing it drops the schema. */
    public static Schema freshSchema(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet()).toLowerCase(Locale.ROOT);
        try (Warehouse admin = TrinoWarehouse.open(config("default"))) {
            admin.execute("CREATE SCHEMA memory.\"" + name + "\"");
        }
        return new Schema(name, TrinoWarehouse.open(config(name)));
    }

    /** A test's schema and the connection using it. */
    public record Schema(String name, Warehouse warehouse) implements AutoCloseable {
        /** The names of the tables in the schema, sorted. */
        public List<String> tables() {
            List<String> names = new ArrayList<>();
            for (QueryResult.Row row : warehouse.query("SELECT table_name FROM memory.information_schema.tables WHERE "
                    + "table_schema = '" + name + "' ORDER BY table_name").rows()) {
                names.add(row.getString("table_name"));
            }
            return names;
        }

        @Override
        public void close() {
            try {
                for (String table : tables()) {
                    warehouse.execute("DROP TABLE IF EXISTS memory.\"" + name + "\".\"" + table + "\"");
                }
                warehouse.execute("DROP SCHEMA IF EXISTS memory.\"" + name + "\"");
            } finally {
                warehouse.close();
            }
        }
    }

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /**
     * Copies every table and view of DuckDB's {@code main} schema into {@code trino} as a typed table of the same
     * name ({@code TIMESTAMP(6)}, {@code TIMESTAMP(6) WITH TIME ZONE}, {@code DOUBLE}, {@code BIGINT}, {@code VARCHAR}),
     * its rows as literals in a few {@code INSERT … VALUES} statements: the driver runs a batch as one query per row,
     * slow on a server. Test data only: values from the data reach Pulse's own statements as parameters.
     */
    public static void copyTables(Warehouse duckDb, Warehouse trino) {
        Dialect dialect = Dialects.forEngine(Engine.TRINO);
        TableStatements statements = TableStatements.of(dialect);
        for (QueryResult.Row table : duckDb.query("SELECT table_name FROM information_schema.tables WHERE table_schema "
                + "= 'main' ORDER BY table_name").rows()) {
            String name = table.getString("table_name");
            List<TableStatements.Column> columns = new ArrayList<>();
            List<String> selected = new ArrayList<>();
            for (QueryResult.Row column : duckDb.query("SELECT column_name, data_type FROM information_schema.columns "
                    + "WHERE table_schema = 'main' AND table_name = '" + name + "' ORDER BY ordinal_position").rows()) {
                TableStatements.ColumnType type = type(column.getString("data_type"));
                String quoted = "\"" + column.getString("column_name").replace("\"", "\"\"") + "\"";
                columns.add(new TableStatements.Column(column.getString("column_name"), type));
                // a zoned timestamp as its UTC wall-clock time, whatever DuckDB's session zone
                selected.add(type == TableStatements.ColumnType.TIMESTAMP_WITH_TIME_ZONE
                        ? "timezone('UTC', " + quoted + ") AS " + quoted : quoted);
            }
            dev.pulse.model.TableName target = new dev.pulse.model.TableName(List.of(name));
            statements.recreateTable(target, columns).forEach(trino::execute);
            List<String> rows = new ArrayList<>();
            for (QueryResult.Row row : duckDb.query("SELECT " + String.join(", ", selected) + " FROM \"" + name + "\"").rows()) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    values.add(literal(dialect, columns.get(i).type(), row.values().get(columns.get(i).name())));
                }
                rows.add("(" + String.join(", ", values) + ")");
                if (rows.size() == 2000) {
                    insert(trino, dialect, target, rows);
                }
            }
            insert(trino, dialect, target, rows);
        }
    }

    private static void insert(Warehouse trino, Dialect dialect, dev.pulse.model.TableName table, List<String> rows) {
        if (!rows.isEmpty()) {
            trino.execute("INSERT INTO " + dialect.tableName(table.parts()) + " VALUES " + String.join(", ", rows));
            rows.clear();
        }
    }

    private static String literal(Dialect dialect, TableStatements.ColumnType type, Object value) {
        if (value == null) {
            return "NULL";
        }
        return switch (type) {
            case BIGINT -> Long.toString(((Number) value).longValue());
            case DOUBLE -> {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    yield Double.isNaN(d) ? "nan()" : d > 0 ? "infinity()" : "-infinity()";
                }
                String text = Double.toString(d); // the shortest text that reads back as d
                yield text.contains("E") ? text : text + "E0";
            }
            case TEXT -> dialect.stringLiteral(value.toString());
            case TIMESTAMP -> "TIMESTAMP '" + MICROS.format(localDateTime(value)) + "'";
            case TIMESTAMP_WITH_TIME_ZONE -> "TIMESTAMP '" + MICROS.format(localDateTime(value)) + " UTC'";
        };
    }

    private static LocalDateTime localDateTime(Object value) {
        if (value instanceof LocalDateTime local) {
            return local;
        } else if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        } else if (value instanceof OffsetDateTime offset) {
            return offset.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        throw new IllegalArgumentException("not a timestamp: " + value.getClass());
    }

    private static TableStatements.ColumnType type(String duckDbType) {
        String type = duckDbType.toUpperCase(Locale.ROOT);
        if (type.equals("TIMESTAMP WITH TIME ZONE")) {
            return TableStatements.ColumnType.TIMESTAMP_WITH_TIME_ZONE;
        } else if (type.startsWith("TIMESTAMP")) {
            return TableStatements.ColumnType.TIMESTAMP;
        } else if (type.equals("VARCHAR")) {
            return TableStatements.ColumnType.TEXT;
        } else if (List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT").contains(type)) {
            return TableStatements.ColumnType.BIGINT;
        } else if (type.startsWith("DECIMAL") || type.equals("DOUBLE") || type.equals("FLOAT")) {
            return TableStatements.ColumnType.DOUBLE;
        }
        throw new IllegalArgumentException("no Trino type for DuckDB's " + duckDbType);
    }
}
