package dev.pulse.sql;

import dev.pulse.model.MetricWindow;
import dev.pulse.plan.ExperimentPlan;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The SQL of metric windows ({@link MetricWindow}): which rows of a unit count, and whether the
 * unit's window has closed by the experiment's end. Both are expressions inside the experiment's one
 * statement, so a windowed metric costs no extra scan of its source.
 */
final class WindowSql {
    private final Dialect dialect;

    WindowSql(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
    }

    /**
     * {@code input} for the rows inside the window, {@code CASE WHEN ts >= fe + start AND ts < fe + end
     * THEN input END}; {@code input} itself without a window.
     */
    String rowsInside(Optional<MetricWindow> window, String input, String timestamp, String firstExposure) {
        if (window.isEmpty()) {
            return input;
        }
        MetricWindow days = window.get();
        return "CASE WHEN " + timestamp + " >= " + dialect.plusDays(firstExposure, days.startDays())
                + " AND " + timestamp + " < " + dialect.plusDays(firstExposure, days.endDays())
                + " THEN " + input + " END";
    }

    /**
     * {@code value} for a unit whose window closed by the end, {@code fe + end_days <= end + 1 day},
     * else NULL; {@code value} itself without a window.
     */
    String closedOnly(ExperimentPlan plan, Optional<MetricWindow> window, String firstExposure, String value) {
        if (window.isEmpty()) {
            return value;
        }
        Instant end = plan.window().end().orElseThrow(() -> new IllegalStateException("a metric window needs an end"));
        return "CASE WHEN " + dialect.plusDays(firstExposure, window.get().endDays()) + " <= "
                + dialect.timestampLiteral(end) + " THEN " + value + " END";
    }
}
