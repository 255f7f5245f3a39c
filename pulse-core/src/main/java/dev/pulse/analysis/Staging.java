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
     * Builds the staging table of {@code experiment} and replaces the previous one in one transaction:
     * readers see the old table or the new one, never a mix, and a failed run leaves the old one.
     *
     * @return the table written
     * @throws PulseException WAREHOUSE_FAILED naming the table when the warehouse refuses the write
     */
    public static TableName write(PulseConfig config, ExperimentName experiment, Warehouse warehouse) {
        TableName table = config.warehouse().stagingTable(experiment);
        TableStatements statements = TableStatements.of(Dialects.forEngine(warehouse.engine()));
        String select = sql(config, experiment);
        SourceSetup.prepare(Planner.plan(config, experiment), warehouse);
        try {
            warehouse.transaction(transaction -> {
                statements.createSchema(table).forEach(transaction::execute);
                statements.replaceTable(table, select).forEach(transaction::execute);
            });
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, String.format(
                    "experiment '%s': cannot write staging table %s: %s", experiment, table, e.getMessage()), e);
        }
        return table;
    }
}
