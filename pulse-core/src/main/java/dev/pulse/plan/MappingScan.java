package dev.pulse.plan;

import dev.pulse.model.IdType;
import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;

import java.util.Objects;

/**
 * What the plan reads from an ID-mapping source: links between units and IDs of another type, the
 * ones observed before the experiment's end (docs/id-resolution.md).
 *
 * @param unitColumn the column holding the experiment's unit ID type
 * @param idColumn   the column holding {@code idType}, the ID type of the mapped metric sources
 */
public record MappingScan(
        SourceName source,
        Relation relation,
        IdType idType,
        String unitColumn,
        String idColumn,
        String timestampColumn) {

    public MappingScan {
        Objects.requireNonNull(source);
        Objects.requireNonNull(relation);
        Objects.requireNonNull(idType);
        Objects.requireNonNull(unitColumn);
        Objects.requireNonNull(idColumn);
        Objects.requireNonNull(timestampColumn);
    }
}
