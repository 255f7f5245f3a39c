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
     * run leaves the old one. On Spark the new table is built beside the old one and renamed over it
     * ({@link TableStatements#replaceTable}): a failure while building leaves the old table as it was; between
     * its DROP and the RENAME there is a moment without the table.
     *
     * @return the table written
     * @throws PulseException WAREHOUSE_FAILED naming the table, and what is left of it, when the warehouse refuses
     *                        the write
     */
    public static TableName write(PulseConfig config, ExperimentName experiment, Warehouse warehouse) {
        TableName table = config.warehouse().stagingTable(experiment);
        TableStatements statements = TableStatements.of(Dialects.forEngine(warehouse.engine()));
        TableStatements.Replacement replacement = statements.replaceTable(table, sql(config, experiment));
        SourceSetup.prepare(Planner.plan(config, experiment), warehouse);
        if (replacement.inOneTransaction()) {
            run(experiment, table, "", () -> warehouse.transaction(transaction -> {
                statements.createSchema(table).forEach(transaction::execute);
                replacement.build().forEach(transaction::execute);
                replacement.swap().forEach(transaction::execute);
            }));
        } else {
            run(experiment, table, " (the previous one is left as it was)", () -> {
                statements.createSchema(table).forEach(warehouse::execute);
                replacement.build().forEach(warehouse::execute);
            });
            run(experiment, table, " (its new rows are in " + replacement.built() + "; the previous table may be gone)",
                    () -> replacement.swap().forEach(warehouse::execute));
        }
        return table;
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
