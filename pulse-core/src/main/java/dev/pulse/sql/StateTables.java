package dev.pulse.sql;

import dev.pulse.model.TableName;
import dev.pulse.plan.AggregateColumn;
import dev.pulse.plan.SourcePass;

import java.util.Objects;

/**
 * The tables of one experiment's incremental state ({@code pulse analyze --incremental}), beside its staging
 * table: {@code [staging_schema.]pulse_state_<experiment>} followed by what each holds
 * (docs/incremental.md#what-it-stores).
 *
 * @param base the state's name without a suffix, e.g. {@code analytics.pulse_state_pricing_v2}
 */
public record StateTables(TableName base) {
    /** The prefix of every state table's last name part. */
    public static final String PREFIX = "pulse_state_";

    public StateTables {
        Objects.requireNonNull(base);
    }

    /** Per unit, UTC day and group: the day's first exposure (and dimension values at it). */
    public TableName exposures() {
        return suffixed("__exposures");
    }

    /** Per exposed unit: the first exposure its state rows were computed with. */
    public TableName units() {
        return suffixed("__units");
    }

    /** Per unit and day: the first qualifying row of the trigger source from the unit's first exposure on. */
    public TableName triggers() {
        return suffixed("__triggers");
    }

    /** Per unit and day: the additive daily parts of each aggregate of {@code pass} (all but distinct counts). */
    public TableName pass(SourcePass pass) {
        return suffixed("__pass" + pass.index());
    }

    /** Per unit, day and value: the distinct values of a count-distinct aggregate (of its pre-period when {@code pre}). */
    public TableName distinct(AggregateColumn aggregate, boolean pre) {
        return suffixed("__distinct" + aggregate.id() + (pre ? "_pre" : ""));
    }

    /** One row: the fingerprint of the config the state was built for, and the last day it holds. */
    public TableName meta() {
        return suffixed("__meta");
    }

    /** Per source and day: the rows read, to notice rows that land in days the refreshes no longer read. */
    public TableName rows() {
        return suffixed("__rows");
    }

    private TableName suffixed(String suffix) {
        return base.sibling(base.parts().get(base.parts().size() - 1) + suffix);
    }
}
