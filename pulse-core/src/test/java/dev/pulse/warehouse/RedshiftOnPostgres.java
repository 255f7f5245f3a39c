package dev.pulse.warehouse;

import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;

import java.util.List;
import java.util.function.Consumer;

/**
 * A PostgreSQL connection that says it is Redshift, so that the analysis renders its SQL with the Redshift dialect
 * and runs it on PostgreSQL: the check that Redshift's rewrites (COVAR_SAMP, integerRange, valueAtMinimum, literals)
 * give DuckDB's numbers. The session reads string literals as Redshift does, with backslash escapes
 * ({@code standard_conforming_strings = off}; Redshift is PostgreSQL 8.0, from before that setting), so the
 * dialect's escaping is checked too. Tests only: no Redshift runs here.
 */
public final class RedshiftOnPostgres implements Warehouse {
    private final Warehouse postgres;

    public RedshiftOnPostgres(Warehouse postgres) {
        this.postgres = postgres;
        postgres.execute("SET standard_conforming_strings = off");
        postgres.execute("SET escape_string_warning = off");
    }

    /** The config of the test server, with engine redshift. */
    public static WarehouseConfig config() {
        WarehouseConfig postgres = TestPostgres.config();
        return new WarehouseConfig(Engine.REDSHIFT, postgres.database(), postgres.resultsTable(), postgres.stagingSchema(),
                postgres.server(), postgres.spark());
    }

    @Override
    public Engine engine() {
        return Engine.REDSHIFT;
    }

    @Override
    public void execute(String sql) {
        postgres.execute(sql);
    }

    @Override
    public void execute(String sql, List<?> parameters) {
        postgres.execute(sql, parameters);
    }

    @Override
    public QueryResult query(String sql) {
        return postgres.query(sql);
    }

    @Override
    public QueryResult query(String sql, List<?> parameters) {
        return postgres.query(sql, parameters);
    }

    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        postgres.forEachBatch(sql, batchSize, consumer);
    }

    @Override
    public void transaction(Consumer<Transaction> work) {
        postgres.transaction(work);
    }

    @Override
    public void cancel() {
        postgres.cancel();
    }

    @Override
    public void close() {
        // the schema that holds the connection closes it
    }
}
