package dev.pulse.analysis;

import dev.pulse.model.TableName;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.Warehouse;

import java.util.List;

/**
 * Copies a table from one warehouse to another over JDBC, streaming in batches: how the demo and the
 * engine-equivalence tests put the same rows into PostgreSQL that DuckDB holds. The target table is
 * replaced in one transaction (its schema, if the name has one, is created first).
 */
public final class TableCopy {
    /** Rows per JDBC batch. */
    private static final int BATCH = 10_000;

    private TableCopy() {}

    /**
     * Replaces {@code target} in {@code to} by the {@code columns} of {@code source} in {@code from};
     * returns the number of rows copied.
     */
    public static long copy(Warehouse from, TableName source, Warehouse to, TableName target,
                            List<TableStatements.Column> columns) {
        return copy(from, TableStatements.of(Dialects.forEngine(from.engine())).selectColumns(source, columns), to, target,
                columns);
    }

    /**
     * Replaces {@code target} in {@code to} by the rows of {@code select}, a query in {@code from}'s
     * dialect whose result columns are {@code columns} in order; returns the number of rows copied.
     */
    public static long copy(Warehouse from, String select, Warehouse to, TableName target,
                            List<TableStatements.Column> columns) {
        TableStatements statements = TableStatements.of(Dialects.forEngine(to.engine()));
        String insert = statements.insertRow(target, columns);
        long[] rows = {0};
        to.transaction(transaction -> {
            statements.createSchema(target).forEach(transaction::execute);
            statements.recreateTable(target, columns).forEach(transaction::execute);
            from.forEachBatch(select, BATCH, batch -> {
                transaction.executeBatch(insert, batch);
                rows[0] += batch.size();
            });
        });
        return rows[0];
    }
}
