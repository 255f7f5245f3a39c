package dev.pulse.plan;

import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;

import java.util.Objects;

/**
 * What the plan reads from the assignment source: who was exposed to which group, when.
 *
 * @param unitColumn the column holding the experiment's unit ID type
 */
public record AssignmentScan(
        SourceName source,
        Relation relation,
        String unitColumn,
        String timestampColumn,
        String experimentColumn,
        String groupColumn) {

    public AssignmentScan {
        Objects.requireNonNull(source);
        Objects.requireNonNull(relation);
        Objects.requireNonNull(unitColumn);
        Objects.requireNonNull(timestampColumn);
        Objects.requireNonNull(experimentColumn);
        Objects.requireNonNull(groupColumn);
    }
}
