package dev.pulse.plan;

import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;

import java.util.Objects;
import java.util.Optional;

/**
 * What the plan reads from an experiment's trigger source: each counted unit's first qualifying row at or
 * after its first exposure, which becomes the start of its analysis period.
 *
 * @param unitColumn the source's column for the experiment's unit ID type
 * @param filter     the rows that qualify, a boolean SQL expression; empty: every row
 */
public record TriggerScan(SourceName source, Relation relation, String unitColumn, String timestampColumn,
                          Optional<String> filter) {
    public TriggerScan {
        Objects.requireNonNull(source);
        Objects.requireNonNull(relation);
        Objects.requireNonNull(unitColumn);
        Objects.requireNonNull(timestampColumn);
        Objects.requireNonNull(filter);
    }
}
