package dev.pulse.sql.dialect;

import java.time.Instant;

/** The preconditions every dialect checks before rendering; one place, the same messages everywhere. */
final class Arguments {
    private Arguments() {}

    static Instant wholeSeconds(Instant instant) {
        if (instant.getNano() != 0) {
            throw new IllegalArgumentException("timestamps in plans are whole seconds: " + instant);
        }
        return instant;
    }

    static int days(int days) {
        if (days < 0) {
            throw new IllegalArgumentException("a negative number of days: " + days);
        }
        return days;
    }

    static int rangeSize(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an empty range: " + count);
        }
        return count;
    }

    static double fraction(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a quantile's fraction is in [0, 1]: " + fraction);
        }
        return fraction;
    }
}
