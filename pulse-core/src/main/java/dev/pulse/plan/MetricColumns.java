package dev.pulse.plan;

import dev.pulse.model.MetricName;
import dev.pulse.model.MetricType;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.Winsorization;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which aggregate columns are a metric's per-unit X and Y, and whether they are capped.
 *
 * @param columnName the stem of the metric's columns in the SQL ({@code revenue_per_user__mean_x}), unique
 *                  within the plan
 * @param x         the numerator's {@link AggregateColumn#id()}
 * @param y         the denominator's id, empty when {@code Y ≡ 1}
 * @param winsorize quantile caps applied to X and Y (and their pre-period values) over all counted
 *                  units; empty: no caps
 * @param window    the metric's window (its X and Y aggregates carry the same one): units whose
 *                  window is open at the experiment's end have NULL values and are not in its n
 */
public record MetricColumns(MetricName metric, ColumnName columnName, MetricType type, int x, OptionalInt y,
                            Optional<Winsorization> winsorize, Optional<MetricWindow> window) {
    public MetricColumns {
        Objects.requireNonNull(metric);
        Objects.requireNonNull(columnName);
        Objects.requireNonNull(type);
        Objects.requireNonNull(y);
        Objects.requireNonNull(winsorize);
        Objects.requireNonNull(window);
    }
}
