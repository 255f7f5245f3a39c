package dev.pulse.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A unit's aggregate compared with a threshold: the per-unit value of a {@code threshold} metric is 1
 * when {@code aggregate comparison value} holds, else 0 (docs/metric-types.md#threshold). A unit without
 * rows has the aggregate 0, so it reaches a threshold of at most 0 ({@code >=}) or below 0 ({@code >}).
 *
 * @param value      the threshold, a finite number
 * @param comparison how the aggregate is compared with it
 */
public record UnitThreshold(double value, Comparison comparison) {
    public UnitThreshold {
        Objects.requireNonNull(comparison);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a threshold is a finite number, got " + value);
        }
    }

    /** Whether the aggregate must reach the threshold or pass it. */
    public enum Comparison {
        /** {@code aggregate >= threshold}: reached (the default). */
        AT_LEAST(">="),
        /** {@code aggregate > threshold}: passed. */
        ABOVE(">");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        /** The operator as written in the config and in SQL: {@code >=} or {@code >}. */
        public String symbol() {
            return symbol;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT) + " (" + symbol + ")";
        }
    }

    /** Whether an aggregate of {@code aggregate} counts: {@code aggregate comparison value}. */
    public boolean reachedBy(double aggregate) {
        return switch (comparison) {
            case AT_LEAST -> aggregate >= value;
            case ABOVE -> aggregate > value;
        };
    }
}
