package dev.pulse.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How a metric is analysed beyond its definition: the hoped-for direction, winsorization and the
 * window of rows that count.
 *
 * @param direction  two-sided (the default), or the one direction that counts as an improvement
 * @param winsorize  caps of the per-unit values; empty: values are used as they are
 * @param window     the rows that count relative to each unit's first exposure; empty: every row from
 *                   the first exposure to the experiment's end
 * @param role       its role in the experiments that analyse it, unless an experiment's {@code roles} says
 *                   otherwise; empty: decided by the experiment (docs/report.md#decision-summary)
 */
public record MetricOptions(Direction direction, Optional<Winsorization> winsorize, Optional<MetricWindow> window,
                            Optional<MetricRole> role) {

    /** Two-sided, no winsorization, no window, no role of its own. */
    public static final MetricOptions DEFAULT = new MetricOptions(Direction.TWO_SIDED, Optional.empty(), Optional.empty());

    public MetricOptions {
        Objects.requireNonNull(direction);
        Objects.requireNonNull(winsorize);
        Objects.requireNonNull(window);
        Objects.requireNonNull(role);
    }

    /** Options without a role of their own. */
    public MetricOptions(Direction direction, Optional<Winsorization> winsorize, Optional<MetricWindow> window) {
        this(direction, winsorize, window, Optional.empty());
    }

    /** Options without a window. */
    public MetricOptions(Direction direction, Optional<Winsorization> winsorize) {
        this(direction, winsorize, Optional.empty());
    }
}
