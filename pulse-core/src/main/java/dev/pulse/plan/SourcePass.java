package dev.pulse.plan;

import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One pass over one metric source computing every distinct per-unit aggregate the experiment needs
 * from it (docs/architecture.md#invariants: all metrics of one source in one pass).
 *
 * @param index       position among the plan's passes
 * @param unitColumn  the source's column for the experiment's unit ID type, or when {@code mapped} for the
 *                    ID type of the experiment's {@link MappingScan}
 * @param expressions the distinct per-row inputs, in first-use order
 * @param aggregates  the distinct aggregates, in first-use order
 * @param mapped      true when the source lacks the unit's ID type and its rows reach units through the
 *                    experiment's ID mapping
 */
public record SourcePass(
        int index,
        SourceName source,
        Relation relation,
        String unitColumn,
        String timestampColumn,
        List<RowExpression> expressions,
        List<AggregateColumn> aggregates,
        boolean mapped,
        Optional<String> datePartition) {

    public SourcePass {
        Objects.requireNonNull(source);
        Objects.requireNonNull(relation);
        Objects.requireNonNull(unitColumn);
        Objects.requireNonNull(timestampColumn);
        expressions = List.copyOf(expressions);
        aggregates = List.copyOf(aggregates);
        Objects.requireNonNull(datePartition);
        for (AggregateColumn aggregate : aggregates) {
            if (aggregate.expression() >= expressions.size()) {
                throw new IllegalArgumentException("aggregate " + aggregate.id() + " reads a missing expression");
            }
        }
    }

    /** A pass over a source without a date partition column. */
    public SourcePass(int index, SourceName source, Relation relation, String unitColumn, String timestampColumn,
                      List<RowExpression> expressions, List<AggregateColumn> aggregates, boolean mapped) {
        this(index, source, relation, unitColumn, timestampColumn, expressions, aggregates, mapped, Optional.empty());
    }

    /** A pass over a source that carries the unit's ID type. */
    public SourcePass(int index, SourceName source, Relation relation, String unitColumn, String timestampColumn,
                      List<RowExpression> expressions, List<AggregateColumn> aggregates) {
        this(index, source, relation, unitColumn, timestampColumn, expressions, aggregates, false, Optional.empty());
    }
}
