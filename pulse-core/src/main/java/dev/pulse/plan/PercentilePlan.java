package dev.pulse.plan;

import dev.pulse.model.MetricName;
import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;

import java.util.Objects;

/**
 * What the statements of one percentile metric of one experiment read (docs/metric-types.md#percentile):
 * the experiment's counted units, found exactly as for its other metrics, and the rows of the metric's
 * source in each unit's window ({@code [first exposure, end + 1 day)}) whose {@code value} is not NULL
 * after the {@code filter}. Engine-neutral and immutable.
 *
 * @param experiment      the experiment's plan: its assignment, window and groups give the counted
 *                        units; its source passes are not read
 * @param unitColumn      the source's column for the experiment's unit ID type, or when {@code mapped}
 *                        for the mapped ID type
 * @param value           the metric's value where its filter holds, else NULL: the rows whose value is
 *                        not NULL are the records
 * @param probability     the quantile's probability p, in (0, 1)
 * @param mapped          whether the rows reach their unit through the experiment's ID mapping (the
 *                        source has no column for the unit's ID type)
 */
public record PercentilePlan(
        ExperimentPlan experiment,
        MetricName metric,
        SourceName source,
        Relation relation,
        String unitColumn,
        String timestampColumn,
        RowExpression value,
        double probability,
        boolean mapped) {

    public PercentilePlan {
        Objects.requireNonNull(experiment);
        Objects.requireNonNull(metric);
        Objects.requireNonNull(source);
        Objects.requireNonNull(relation);
        Objects.requireNonNull(unitColumn);
        Objects.requireNonNull(timestampColumn);
        Objects.requireNonNull(value);
        if (value.value().isEmpty()) {
            throw new IllegalArgumentException("a percentile reads a value");
        }
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("a percentile's probability is in (0, 1), got " + probability);
        }
        if (mapped && experiment.idMapping().isEmpty()) {
            throw new IllegalArgumentException("a mapped percentile source needs the experiment's ID mapping");
        }
    }
}
