package dev.pulse.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The half-open interval in which exposures count: {@code [start 00:00Z, end + 1 day 00:00Z)}, with no
 * upper bound when the experiment has no end (docs/concepts.md). Metric rows of a unit count from its first
 * exposure up to the same upper bound.
 */
public record ExposureWindow(Instant start, Optional<Instant> end) {
    public ExposureWindow {
        Objects.requireNonNull(start);
        Objects.requireNonNull(end);
        if (end.isPresent() && !end.get().isAfter(start)) {
            throw new IllegalArgumentException("window end " + end.get() + " is not after its start " + start);
        }
    }

    /** The window of an experiment running from {@code start} to {@code end}, both inclusive UTC days. */
    public static ExposureWindow ofDays(LocalDate start, Optional<LocalDate> end) {
        return new ExposureWindow(
                start.atStartOfDay(ZoneOffset.UTC).toInstant(),
                end.map(day -> day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
    }

    /** The number of whole UTC days from start to end, both inclusive. */
    public int days() {
        return (int) java.time.Duration.between(start, end.orElseThrow(
                () -> new IllegalStateException("a window without an end has no number of days"))).toDays();
    }
}
