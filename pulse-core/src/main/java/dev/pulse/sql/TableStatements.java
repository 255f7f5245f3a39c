package dev.pulse.sql;

import dev.pulse.model.TableName;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The statements that write Pulse's own tables: the staging table of an experiment (replaced as a
 * whole) and the long-form results table. Every identifier is quoted through the dialect; values are
 * bound as {@code ?} parameters. DROP/CREATE and DELETE/INSERT are meant to run inside one
 * transaction, which makes the replacement atomic on engines with transactional DDL (DuckDB,
 * PostgreSQL).
 */
public final class TableStatements {
    /** The results table's columns, in order. */
    public static final List<String> RESULT_COLUMNS = List.of(
            "run_id", "run_at", "experiment", "metric", "group_name", "statistic", "value");
    private static final List<String> RESULT_TYPES = List.of(
            "VARCHAR", "TIMESTAMP", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE PRECISION");

    private final Dialect dialect;

    private TableStatements(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
    }

    /** The statements for {@code dialect}. */
    public static TableStatements of(Dialect dialect) {
        return new TableStatements(dialect);
    }

    /** {@code CREATE SCHEMA IF NOT EXISTS} for the schema of a two-part name; nothing for one or three parts. */
    public List<String> createSchema(TableName table) {
        if (table.parts().size() != 2) {
            return List.of();
        }
        return List.of("CREATE SCHEMA IF NOT EXISTS " + dialect.quoteIdentifier(table.parts().get(0)));
    }

    /** Drops {@code table} if it exists, then creates it from {@code select}: run both in one transaction. */
    public List<String> replaceTable(TableName table, String select) {
        String name = dialect.tableName(table.parts());
        return List.of("DROP TABLE IF EXISTS " + name, "CREATE TABLE " + name + " AS\n" + select);
    }

    /** Creates the results table when it does not exist yet. */
    public String createResultsTable(TableName table) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(dialect.tableName(table.parts())).append(" (\n");
        for (int i = 0; i < RESULT_COLUMNS.size(); i++) {
            sql.append("  ").append(dialect.quoteIdentifier(RESULT_COLUMNS.get(i))).append(' ').append(RESULT_TYPES.get(i))
                    .append(i < RESULT_COLUMNS.size() - 1 ? ",\n" : "\n");
        }
        return sql.append(")").toString();
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
    }

    /** Drops {@code table} if it exists and creates it empty with {@code columns}: run both in one transaction. */
    public List<String> recreateTable(TableName table, List<Column> columns) {
        String name = dialect.tableName(table.parts());
        return List.of("DROP TABLE IF EXISTS " + name, "CREATE TABLE " + name + " ("
                + String.join(", ", columns.stream().map(c -> dialect.quoteIdentifier(c.name()) + " " + c.type().sql).toList())
                + ")");
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
