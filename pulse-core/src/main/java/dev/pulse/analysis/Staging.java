package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import dev.pulse.plan.Planner;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.UUID;

/**
 * The staging table of {@code pulse analyze --materialize}: an experiment's per-unit values (unit,
 * group, first exposure, each metric's numerator and denominator) written to
 * {@code [staging_schema.]pulse_staging_<experiment>}, so that any number of the results can be
 * audited with plain SQL. The values come from the same plan and the same CTEs as the moments.
 */
public final class Staging {
    private Staging() {}

    /** The SELECT whose rows the staging table holds, in the config's warehouse dialect. */
    public static String sql(PulseConfig config, ExperimentName experiment) {
        return SqlRenderer.of(Dialects.forEngine(config.warehouse().engine())).renderUnits(Planner.plan(config, experiment));
    }

    /**
     * Builds the staging table of {@code experiment} and replaces the previous one. Where DDL is transactional
     * (DuckDB, PostgreSQL) in one transaction: readers see the old table or the new one, never a mix, and a failed
     * run leaves the old one; a second run writing the same table waits for the first one's commit
     * ({@link TableStatements#lockForWriting}). On Spark the new table is built beside the old one under this run's
     * own name and renamed over it ({@link TableStatements#replaceTable}): a failure while building leaves the old
     * table as it was (and drops the half-built one); between its DROP and the RENAME there is a moment without
     * the table.
     *
     * @return the table written
     * @throws PulseException WAREHOUSE_FAILED naming the table, and what is left of it, when the warehouse refuses
     *                        the write
     */
    public static TableName write(PulseConfig config, ExperimentName experiment, Warehouse warehouse) {
        TableName table = config.warehouse().stagingTable(experiment);
        TableStatements statements = TableStatements.of(Dialects.forEngine(warehouse.engine()));
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TableStatements.Replacement replacement = statements.replaceTable(table, sql(config, experiment), run);
        SourceSetup.prepare(Planner.plan(config, experiment), warehouse);
        if (replacement.inOneTransaction()) {
            List<String> schema = statements.createSchema(table);
            run(experiment, table, "", () -> {
                if (!schema.isEmpty()) {
                    warehouse.transaction(transaction -> schema.forEach(transaction::execute));
                }
            });
            run(experiment, table, "", () -> warehouse.transaction(transaction -> {
                // a second run writing the table waits here until this one commits, then replaces its table
                statements.lockForWriting(table).forEach(transaction::execute);
                replacement.build().forEach(transaction::execute);
                replacement.swap().forEach(transaction::execute);
            }));
        } else {
            run(experiment, table, " (the previous one is left as it was)", () -> {
                statements.createSchema(table).forEach(warehouse::execute);
                try {
                    replacement.build().forEach(warehouse::execute);
                } catch (PulseException e) {
                    dropQuietly(warehouse, statements, replacement.built());
                    throw e;
                }
            });
            run(experiment, table, " (its new rows are in " + replacement.built() + "; the previous table may be gone)",
                    () -> replacement.swap().forEach(warehouse::execute));
        }
        return table;
    }

    /** Drops this run's half-built table after a failure; the failure, not a failed cleanup, is the one to report. */
    private static void dropQuietly(Warehouse warehouse, TableStatements statements, TableName built) {
        try {
            warehouse.execute(statements.dropTable(built));
        } catch (PulseException e) {
            // left in the catalog under this run's name, where it blocks nothing
        }
    }

    /** Runs {@code work}, naming the table and {@code state} (what a failure leaves) in a warehouse error. */
    private static void run(ExperimentName experiment, TableName table, String state, Runnable work) {
        try {
            work.run();
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, String.format(
                    "experiment '%s': cannot write staging table %s%s: %s", experiment, table, state, e.getMessage()), e);
        }
    }
}
