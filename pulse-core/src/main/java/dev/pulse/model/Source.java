package dev.pulse.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A table, query or file with a timestamp column and one column per ID type it carries. An
 * assignment source also names its experiment and group columns.
 *
 * @param idColumns     ID type to column name, in config order
 * @param datePartition a column holding each row's date, by which the source is partitioned (Hive-style
 *                      {@code date=…} folders, a partition key): every scan also bounds it, so that whole
 *                      partitions are skipped (docs/incremental.md#what-your-tables-need)
 */
public record Source(
        SourceName name,
        Relation relation,
        String timestampColumn,
        Map<IdType, String> idColumns,
        Optional<AssignmentColumns> assignment,
        Optional<String> datePartition) {

    /** The columns that make a source an assignment source. */
    public record AssignmentColumns(String experimentColumn, String groupColumn) {
        public AssignmentColumns {
            Objects.requireNonNull(experimentColumn);
            Objects.requireNonNull(groupColumn);
        }
    }

    public Source {
        Objects.requireNonNull(name);
        Objects.requireNonNull(relation);
        Objects.requireNonNull(timestampColumn);
        idColumns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(idColumns));
        Objects.requireNonNull(assignment);
        Objects.requireNonNull(datePartition);
    }

    /** A source without a date partition column. */
    public Source(SourceName name, Relation relation, String timestampColumn, Map<IdType, String> idColumns,
                  Optional<AssignmentColumns> assignment) {
        this(name, relation, timestampColumn, idColumns, assignment, Optional.empty());
    }

    /** The column that holds {@code idType}, if this source carries it. */
    public Optional<String> idColumn(IdType idType) {
        return Optional.ofNullable(idColumns.get(idType));
    }
}
