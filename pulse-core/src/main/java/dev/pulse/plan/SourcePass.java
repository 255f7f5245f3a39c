package dev.pulse.plan;

import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;

import java.util.List;
import java.util.Objects;

/**
 * One pass over one metric source computing every distinct per-unit aggregate the experiment needs
 * from it (DESIGN §4: all metrics of one source in one pass).
 *
 * @param index       position among the plan's passes
 * @param unitColumn  the source's column for the experiment's unit ID type
 * @param expressions the distinct per-row inputs, in first-use order
 * @param aggregates  the distinct aggregates, in first-use order
 */
public record SourcePass(
        int index,
        SourceName source,
        Relation relation,
        String unitColumn,
        String timestampColumn,
        List<RowExpression> expressions,
        List<AggregateColumn> aggregates) {

    public SourcePass {
        Objects.requireNonNull(source);
        Objects.requireNonNull(relation);
        Objects.requireNonNull(unitColumn);
        Objects.requireNonNull(timestampColumn);
        expressions = List.copyOf(expressions);
        aggregates = List.copyOf(aggregates);
        for (AggregateColumn aggregate : aggregates) {
            if (aggregate.expression() >= expressions.size()) {
                throw new IllegalArgumentException("aggregate " + aggregate.id() + " reads a missing expression");
            }
        }
    }
}
