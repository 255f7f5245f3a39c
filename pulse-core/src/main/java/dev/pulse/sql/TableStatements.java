package dev.pulse.sql;

import dev.pulse.model.TableName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The statements that write Pulse's own tables: the staging table of an experiment (replaced as a
 * whole) and the long-form results table. Every identifier is quoted through the dialect; values are
 * bound as {@code ?} parameters. DROP/CREATE and DELETE/INSERT are meant to run inside one
 * transaction, which makes the replacement atomic on engines with transactional DDL (DuckDB,
 * PostgreSQL). An engine without them (Spark) builds a staging table beside the old one and renames it
 * over ({@link #replaceTable}), and keeps the results table partitioned by experiment
 * ({@link Dialect#partitionOverwrite}), replacing an experiment's partition with one
 * {@code INSERT OVERWRITE}, its values bound as parameters too (Spark's {@code sql(text, args)}).
 */
public final class TableStatements {
    /** The results table's columns, in order. */
    public static final List<String> RESULT_COLUMNS = List.of(
            "run_id", "run_at", "experiment", "metric", "group_name", "statistic", "value");
    private static final List<ColumnType> RESULT_TYPES = List.of(ColumnType.TEXT, ColumnType.TIMESTAMP,
            ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.DOUBLE);
    /** The column a partitioned results table is partitioned by. */
    private static final String PARTITION_COLUMN = "experiment";

    private final Dialect dialect;

    private TableStatements(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
    }

    /** The statements for {@code dialect}. */
    public static TableStatements of(Dialect dialect) {
        return new TableStatements(dialect);
    }

    /**
     * {@code CREATE SCHEMA IF NOT EXISTS} for the schema of a two-part name, after the engine's lock on the
     * schema's name ({@link Dialect#writeLock}) where it has one, so that two runs creating it at once take turns;
     * nothing for one or three parts. Meant for a transaction of its own, before the one writing the table.
     */
    public List<String> createSchema(TableName table) {
        if (table.parts().size() != 2) {
            return List.of();
        }
        List<String> statements = new ArrayList<>(dialect.writeLock(List.of(table.parts().get(0))));
        statements.add("CREATE SCHEMA IF NOT EXISTS " + dialect.quoteIdentifier(table.parts().get(0)));
        return List.copyOf(statements);
    }

    /**
     * The statements that make the transaction writing {@code table} wait for any other open transaction writing
     * it ({@link Dialect#writeLock}); first in the transaction. Empty where the engine needs none.
     */
    public List<String> lockForWriting(TableName table) {
        return dialect.writeLock(table.parts());
    }

    /**
     * What the table being built is called beside the one it replaces, where the engine has no DDL transactions:
     * this, then {@code _} and the run's token.
     */
    public static final String NEW_TABLE_SUFFIX = "__pulse_new";

    /**
     * The statements that replace {@code table} with the rows of {@code select}; {@code run} tells this run's
     * statements from another's where they need a name of their own (lower-case letters and digits).
     *
     * <p>With transactional DDL: {@code DROP TABLE IF EXISTS t; CREATE TABLE t AS select}, to run in one
     * transaction (readers see the old table until the commit; a failure rolls back to it) after
     * {@link #lockForWriting}, so that a second run waits for the first one's commit.
     *
     * <p>Without (Spark): the new rows are built beside the table as {@code t__pulse_new_<run>}, then swapped in by
     * {@code DROP TABLE t; ALTER TABLE t__pulse_new_<run> RENAME TO t}. Spark cannot replace a plain Parquet table in
     * one statement ({@code CREATE OR REPLACE TABLE … AS} is for Delta/Iceberg-like catalogs only), so this keeps the
     * old table readable and intact while the new one is written; between the DROP and the RENAME there is no table.
     * The new table is first created empty ({@code LIMIT 0}, no job) and then filled by {@code INSERT INTO}: a
     * {@code CREATE TABLE … AS} writes its files before the table is in the catalog, and a driver killed while
     * writing would leave a folder that no {@code DROP TABLE} removes. The name is the run's own: two runs writing
     * one staging table at once each build their own table (with one shared name, the second run's first DROP
     * removed the first run's table while it was being filled), and the swap that comes second either replaces the
     * first one's table or fails on its RENAME, never mixing their rows. A table a killed driver leaves stays in
     * the catalog under its run's name (blocking nothing) until dropped by hand.
     */
    public Replacement replaceTable(TableName table, String select, String run) {
        if (!run.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("a run token is lower-case letters and digits: " + run);
        }
        String name = dialect.tableName(table.parts());
        String storage = dialect.createdTableStorage().isEmpty() ? "" : " " + dialect.createdTableStorage();
        if (dialect.transactionalDdl()) {
            return new Replacement(true, table, List.of("DROP TABLE IF EXISTS " + name,
                    "CREATE TABLE " + name + storage + " AS\n" + select), List.of());
        }
        Optional<String> atomic = dialect.atomicReplaceTable(name, select);
        if (atomic.isPresent()) {
            // one statement that replaces the table atomically (CREATE OR REPLACE TABLE … AS on Snowflake and
            // BigQuery), alone in its transaction
            return new Replacement(true, table, List.of(atomic.get()), List.of());
        }
        TableName built = table.sibling(table.parts().get(table.parts().size() - 1) + NEW_TABLE_SUFFIX + "_" + run);
        String newName = dialect.tableName(built.parts());
        return new Replacement(false, built,
                List.of("DROP TABLE IF EXISTS " + newName,
                        "CREATE TABLE " + newName + storage + " AS\nSELECT * FROM (\n" + select + ") AS "
                                + dialect.quoteIdentifier("staged") + " LIMIT 0",
                        "INSERT INTO " + newName + "\n" + select),
                List.of("DROP TABLE IF EXISTS " + name, "ALTER TABLE " + newName + " RENAME TO " + name));
    }

    /**
     * How a table is replaced: {@code build} writes the new rows into {@code built} without touching the old table
     * (unless {@code inOneTransaction}, where {@code built} is the table itself and the transaction hides it), then
     * {@code swap} puts them in its place.
     */
    public record Replacement(boolean inOneTransaction, TableName built, List<String> build, List<String> swap) {
        public Replacement {
            Objects.requireNonNull(built);
            build = List.copyOf(build);
            swap = List.copyOf(swap);
        }
    }

    /**
     * The results table's columns in the order of the table and of {@link #overwriteResults}'s rows:
     * {@link #RESULT_COLUMNS}, but with {@code experiment} last where the table is partitioned by it (Spark
     * keeps partition columns last, and its {@code INSERT} matches columns by position).
     */
    public List<String> resultColumns() {
        if (dialect.partitionOverwrite().isEmpty()) {
            return RESULT_COLUMNS;
        }
        List<String> columns = new ArrayList<>(RESULT_COLUMNS);
        columns.remove(PARTITION_COLUMN);
        columns.add(PARTITION_COLUMN);
        return List.copyOf(columns);
    }

    /**
     * Creates the results table when it does not exist yet; where the engine replaces partitions instead of
     * running transactions, partitioned by {@code experiment} so that an overwrite replaces that experiment only.
     */
    public String createResultsTable(TableName table) {
        List<String> columns = resultColumns();
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(dialect.tableName(table.parts())).append(" (\n");
        for (int i = 0; i < columns.size(); i++) {
            ColumnType type = RESULT_TYPES.get(RESULT_COLUMNS.indexOf(columns.get(i)));
            sql.append("  ").append(dialect.quoteIdentifier(columns.get(i))).append(' ').append(dialect.columnType(type))
                    .append(i < columns.size() - 1 ? ",\n" : "\n");
        }
        sql.append(")");
        dialect.partitionOverwrite().ifPresent(overwrite ->
                sql.append('\n').append(overwrite.tableClause(dialect.quoteIdentifier(PARTITION_COLUMN))));
        return sql.toString();
    }

    /** The kind of results table whose overwrite is safe, for the message refusing another ({@link Dialect.PartitionOverwrite#requirement}). */
    public String resultsTableRequirement() {
        return partitionOverwrite().requirement();
    }

    /** A statement describing the results table, for {@link #resultsTableProblem}; only where partitions are overwritten. */
    public String describeResultsTable(TableName table) {
        return partitionOverwrite().describe(dialect.tableName(table.parts()));
    }

    /**
     * Why overwriting the results table described by {@code description} (the rows of {@link #describeResultsTable})
     * is unsafe: not partitioned by experiment alone, without the dynamic overwrite, other columns. Empty when safe.
     */
    public Optional<String> resultsTableProblem(List<List<String>> description) {
        return partitionOverwrite().problem(description, resultColumns(), PARTITION_COLUMN);
    }

    /**
     * Replaces the partitions of the experiments in {@code rows} with {@code rows} (each in
     * {@link #resultColumns} order: text, an {@link Instant} whole to the second, a Double, or null), in one
     * statement: {@code INSERT OVERWRITE TABLE t PARTITION (experiment) VALUES (:p0, …), …}, the partition column
     * last. Every value is a parameter: group names come from the data and never become SQL text.
     */
    public BoundStatement overwriteResults(TableName table, List<List<Object>> rows) {
        Dialect.PartitionOverwrite overwrite = partitionOverwrite();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("an overwrite with no rows would write nothing");
        }
        List<Object> parameters = new ArrayList<>();
        List<String> experimentMarkers = new ArrayList<>();
        if (overwrite.namesExperiments()) {
            int experiment = resultColumns().indexOf(PARTITION_COLUMN);
            for (Object name : rows.stream().map(row -> row.get(experiment)).distinct().toList()) {
                experimentMarkers.add(dialect.parameter(parameters.size()));
                parameters.add(name);
            }
        }
        StringBuilder sql = new StringBuilder(overwrite.overwrite(dialect.tableName(table.parts()),
                dialect.quoteIdentifier(PARTITION_COLUMN), List.copyOf(experimentMarkers))).append("\nVALUES");
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != RESULT_COLUMNS.size()) {
                throw new IllegalArgumentException("a results row has " + RESULT_COLUMNS.size() + " values: " + rows.get(i));
            }
            List<String> markers = new ArrayList<>();
            for (Object value : rows.get(i)) {
                if (value != null && !(value instanceof String || value instanceof Double || value instanceof Instant)) {
                    throw new IllegalArgumentException("not a results value: a " + value.getClass().getSimpleName());
                }
                markers.add(dialect.parameter(parameters.size()));
                parameters.add(value);
            }
            sql.append(i == 0 ? "\n  (" : ",\n  (").append(String.join(", ", markers)).append(')');
        }
        return new BoundStatement(sql.toString(), parameters);
    }

    private Dialect.PartitionOverwrite partitionOverwrite() {
        return dialect.partitionOverwrite().orElseThrow(() -> new IllegalStateException(
                dialect.name() + " replaces tables in transactions, not by overwriting partitions"));
    }

    /** A column of a table Pulse creates: its name and a type every engine spells the same way. */
    public record Column(String name, ColumnType type) {
        public Column {
            java.util.Objects.requireNonNull(name);
            java.util.Objects.requireNonNull(type);
        }
    }

    /** Column types, in SQL that DuckDB and PostgreSQL both read. */
    public enum ColumnType {
        BIGINT("BIGINT"),
        DOUBLE("DOUBLE PRECISION"),
        TEXT("VARCHAR"),
        TIMESTAMP("TIMESTAMP"),
        TIMESTAMP_WITH_TIME_ZONE("TIMESTAMP WITH TIME ZONE");

        private final String sql;

        ColumnType(String sql) {
            this.sql = sql;
        }

        /** The type as DuckDB and PostgreSQL spell it ({@link Dialect#columnType} by default). */
        String sql() {
            return sql;
        }
    }

    /** Drops {@code table} if it exists and creates it empty with {@code columns}: run both in one transaction. */
    public List<String> recreateTable(TableName table, List<Column> columns) {
        String name = dialect.tableName(table.parts());
        return List.of("DROP TABLE IF EXISTS " + name, "CREATE TABLE " + name + " ("
                + String.join(", ", columns.stream().map(c -> dialect.quoteIdentifier(c.name()) + " " + dialect.columnType(c.type())).toList())
                + ")");
    }

    /** {@code DROP TABLE IF EXISTS table}. */
    public String dropTable(TableName table) {
        return "DROP TABLE IF EXISTS " + dialect.tableName(table.parts());
    }

    /** {@code SELECT <columns> FROM table}, to read a table column by column. */
    public String selectColumns(TableName table, List<Column> columns) {
        return "SELECT " + String.join(", ", columns.stream().map(c -> dialect.quoteIdentifier(c.name())).toList())
                + " FROM " + dialect.tableName(table.parts());
    }

    /** Inserts one row of {@code columns}, every value a parameter. */
    public String insertRow(TableName table, List<Column> columns) {
        return "INSERT INTO " + dialect.tableName(table.parts()) + " ("
                + String.join(", ", columns.stream().map(c -> dialect.quoteIdentifier(c.name())).toList())
                + ") VALUES (" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    }

    /**
     * {@code SELECT <result columns> FROM table WHERE experiment NOT IN (…)}: the rows a rebuild of the results table
     * keeps ({@code experiments} are names from the config, written as literals).
     */
    public String otherExperimentsResults(TableName table, List<String> experiments) {
        String select = "SELECT " + String.join(", ", RESULT_COLUMNS.stream().map(dialect::quoteIdentifier).toList())
                + " FROM " + dialect.tableName(table.parts());
        return experiments.isEmpty() ? select : select + " WHERE " + dialect.quoteIdentifier(PARTITION_COLUMN)
                + " NOT IN (" + String.join(", ", experiments.stream().map(dialect::stringLiteral).toList()) + ")";
    }

    /**
     * Inserts {@code rows} rows of {@link #RESULT_COLUMNS} in one statement, every value a parameter: where a driver
     * runs a JDBC batch as one query per row (Trino's), one statement per chunk of rows.
     */
    public String insertResults(TableName table, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("an insert of no rows: " + rows);
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(dialect.tableName(table.parts())).append(" (")
                .append(String.join(", ", RESULT_COLUMNS.stream().map(dialect::quoteIdentifier).toList())).append(")\nVALUES");
        int parameter = 0;
        for (int i = 0; i < rows; i++) {
            List<String> markers = new ArrayList<>();
            for (int j = 0; j < RESULT_COLUMNS.size(); j++) {
                markers.add(dialect.parameter(parameter++));
            }
            sql.append(i == 0 ? "\n  (" : ",\n  (").append(String.join(", ", markers)).append(')');
        }
        return sql.toString();
    }

    /** Deletes every row of one experiment (bound as the one parameter). */
    public String deleteExperiment(TableName table) {
        return "DELETE FROM " + dialect.tableName(table.parts()) + " WHERE " + dialect.quoteIdentifier("experiment") + " = ?";
    }

    /** Inserts one row of {@link #RESULT_COLUMNS}, every value a parameter. */
    public String insertResult(TableName table) {
        return "INSERT INTO " + dialect.tableName(table.parts()) + " ("
                + String.join(", ", RESULT_COLUMNS.stream().map(dialect::quoteIdentifier).toList())
                + ") VALUES (" + String.join(", ", Collections.nCopies(RESULT_COLUMNS.size(), "?")) + ")";
    }
}
