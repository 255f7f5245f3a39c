package dev.pulse.plan;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.UnitAggregate;

import java.util.Objects;

/**
 * One per-unit aggregate computed by a source pass.
 *
 * @param id         unique within the plan (across passes); metrics refer to it
 * @param expression index into the pass's {@link SourcePass#expressions()}
 * @param aggregate  the model aggregate it computes
 */
public record AggregateColumn(int id, int expression, UnitAggregate aggregate) {
    public AggregateColumn {
        Objects.requireNonNull(aggregate);
        if (id < 0 || expression < 0) {
            throw new IllegalArgumentException("negative index");
        }
    }

    public AggregateFunction function() {
        return aggregate.function();
    }
}
