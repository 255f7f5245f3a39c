package dev.pulse.output;

import dev.pulse.stats.Interval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How results print for people: the console table and the HTML report show every figure the same
 * way. An undefined figure (null) prints as {@code -}.
 */
public final class Formats {
    private Formats() {}

    /** Four significant digits, plain notation for everyday magnitudes. */
    public static String number(Double value) {
        if (value == null) {
            return "-";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e5) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude != 0 && magnitude < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    /** A setting such as alpha as written: 0.05, 95. */
    public static String plain(double value) {
        return BigDecimal.valueOf(value).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    /** {@link #number} with a {@code +} on positive values. */
    public static String signed(Double value) {
        if (value == null) {
            return "-";
        }
        String text = number(value);
        return value > 0 ? "+" + text : text;
    }

    /** A fraction as a percentage with two decimals: 0.5 is {@code 50.00%}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    /** A fraction as a signed percentage with two decimals: 0.05 is {@code +5.00%}. */
    public static String signedPercent(Double fraction) {
        if (fraction == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.2f%%", 100 * fraction);
    }

    /** Four decimals, {@code <0.0001} below that. */
    public static String pValue(Double p) {
        if (p == null) {
            return "-";
        }
        return p < 1e-4 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    /** An interval's ends in brackets ({@code -inf}/{@code +inf} when unbounded), {@code -} when undefined. */
    public static String interval(Interval interval, boolean percent) {
        String lower = interval.lowerUnbounded() ? "-inf" : percent ? signedPercent(interval.lower()) : signed(interval.lower());
        String upper = interval.upperUnbounded() ? "+inf" : percent ? signedPercent(interval.upper()) : signed(interval.upper());
        if (lower.equals("-") || upper.equals("-")) {
            return "-";
        }
        return "[" + lower + ", " + upper + "]";
    }

    /**
     * A first or latest value metric's units with a value per group, for the table and the report:
     * {@code Units with a value of plan_price: control 3, treat 4 (the others are left out of its mean)}.
     */
    public static String unitsWithValue(dev.pulse.analysis.MetricResult metric) {
        java.util.List<String> groups = new java.util.ArrayList<>();
        metric.unitsWithValue().forEach((group, units) -> groups.add(String.format(Locale.ROOT, "%s %,d", group, units)));
        return "Units with a value of " + metric.metric() + ": " + String.join(", ", groups)
                + " (the others are left out of its mean)";
    }
}
