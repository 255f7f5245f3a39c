package dev.pulse.plan;

import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;

import java.util.Objects;
import java.util.Optional;

/**
 * What the plan reads from the assignment source: who was exposed to which group, when.
 *
 * @param unitColumn    the column holding the experiment's unit ID type
 * @param datePartition the source's date partition column, bounded by every scan as its timestamp is
 */
public record AssignmentScan(
        SourceName source,
        Relation relation,
        String unitColumn,
        String timestampColumn,
        String experimentColumn,
        String groupColumn,
        Optional<String> datePartition) {

    public AssignmentScan {
        Objects.requireNonNull(source);
        Objects.requireNonNull(relation);
        Objects.requireNonNull(unitColumn);
        Objects.requireNonNull(timestampColumn);
        Objects.requireNonNull(experimentColumn);
        Objects.requireNonNull(groupColumn);
        Objects.requireNonNull(datePartition);
    }

    /** A scan of a source without a date partition column. */
    public AssignmentScan(SourceName source, Relation relation, String unitColumn, String timestampColumn,
                          String experimentColumn, String groupColumn) {
        this(source, relation, unitColumn, timestampColumn, experimentColumn, groupColumn, Optional.empty());
    }
}
