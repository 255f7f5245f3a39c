package dev.pulse.plan;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.UnitAggregate;

import java.util.Objects;
import java.util.Optional;

/**
 * One per-unit aggregate computed by a source pass.
 *
 * @param id         unique within the plan (across passes); metrics refer to it
 * @param name       its column in the SQL, after the first metric that uses it and its role
 *                   ({@code revenue_per_user__numerator}); unique within the plan
 * @param expression index into the pass's {@link SourcePass#expressions()}
 * @param aggregate  the model aggregate it computes
 * @param window     when present, only the unit's rows inside its window count, and a unit whose
 *                   window is still open at the experiment's end has no value (NULL)
 */
public record AggregateColumn(int id, ColumnName name, int expression, UnitAggregate aggregate, Optional<MetricWindow> window) {
    public AggregateColumn {
        Objects.requireNonNull(name);
        Objects.requireNonNull(aggregate);
        Objects.requireNonNull(window);
        if (id < 0 || expression < 0) {
            throw new IllegalArgumentException("negative index");
        }
    }

    /** An aggregate over every counted row of the unit. */
    public AggregateColumn(int id, ColumnName name, int expression, UnitAggregate aggregate) {
        this(id, name, expression, aggregate, Optional.empty());
    }

    public AggregateFunction function() {
        return aggregate.function();
    }
}
