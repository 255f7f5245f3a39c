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

    /** {@code value} in quotes with each control character as {@code \\uXXXX}, for messages. */
    static String visible(String value) {
        StringBuilder text = new StringBuilder("'");
        value.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                text.append(String.format("\\u%04X", c));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.append('\'').toString();
    }

    /** A fraction in [0, 1] as the shortest decimal literal that reads as it: {@code 0.9}, {@code 1}. */
    static String fractionLiteral(double fraction) {
        fraction(fraction);
        return java.math.BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
    }

    /**
     * f·(1 − 10⁻¹²) as one exact decimal constant (f itself for 0), for engines that want a constant percentile:
     * the shrinking of {@link PostgresDialect#discreteQuantile}, which leaves ⌈n·f⌉ unchanged when it is computed
     * exactly and keeps an exact integer n·f from rounding up when it is computed in double precision.
     */
    static String shrunkFractionLiteral(double fraction) {
        String f = fractionLiteral(fraction);
        return fraction == 0 ? f : new java.math.BigDecimal(f)
                .multiply(java.math.BigDecimal.ONE.subtract(new java.math.BigDecimal("1e-12")))
                .stripTrailingZeros().toPlainString();
    }
}
