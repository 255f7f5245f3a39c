package dev.pulse.output;

import dev.pulse.stats.Interval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
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

    /**
     * The decision summary as lines (docs/report.md#decision-summary), the same in the table and the report: each
     * primary metric's lift per treatment, each harmed guardrail (or how many were checked), and the health checks.
     */
    public static List<String> decision(dev.pulse.analysis.DecisionSummary summary) {
        List<String> lines = new java.util.ArrayList<>();
        for (dev.pulse.analysis.DecisionSummary.Primary p : summary.primary()) {
            lines.add(primary(p));
        }
        List<dev.pulse.analysis.DecisionSummary.Guardrail> harmed = summary.guardrails().stream()
                .filter(g -> g.harm().harmed()).toList();
        for (dev.pulse.analysis.DecisionSummary.Guardrail g : harmed) {
            lines.add(guardrail(g));
        }
        if (!summary.guardrails().isEmpty() && harmed.isEmpty()) {
            lines.add(guardrailsUnharmed(summary));
        }
        lines.addAll(health(summary));
        return lines;
    }

    /** A primary metric's line: {@code primary revenue / treatment: +5.71% [-6.82%, +18.24%], p = 0.3582, not significant}. */
    public static String primary(dev.pulse.analysis.DecisionSummary.Primary p) {
        return "primary " + p.metric() + " / " + p.group() + ": " + signedPercent(p.decision().relative().estimate())
                + " " + interval(p.decision().relative(), true) + ", p = " + pValue(p.decision().pValue())
                + (p.significant() ? ", significant" : ", not significant");
    }

    /**
     * A guardrail's line: {@code guardrail latency / treatment HARMED: +8.1% [+2.0%, +14.2%], p = 0.004 for a rise}, or
     * {@code … not harmed: …} for one that was not.
     */
    public static String guardrail(dev.pulse.analysis.DecisionSummary.Guardrail g) {
        return "guardrail " + g.metric() + " / " + g.group() + (g.harm().harmed() ? " HARMED: " : " not harmed: ")
                + signedPercent(g.decision().relative().estimate()) + " " + interval(g.decision().relative(), true)
                + ", p = " + pValue(g.harm().pValue()) + " for "
                + (g.direction() == dev.pulse.model.Direction.TWO_SIDED ? "a change"
                : g.direction() == dev.pulse.model.Direction.INCREASE ? "a drop" : "a rise");
    }

    /** {@code guardrails: none harmed (3 checked)}. */
    public static String guardrailsUnharmed(dev.pulse.analysis.DecisionSummary summary) {
        return "guardrails: none harmed (" + summary.guardrails().size() + " checked)";
    }

    /** The failed health checks' lines: a sample ratio mismatch, the metrics the bias check flagged. */
    public static List<String> health(dev.pulse.analysis.DecisionSummary summary) {
        List<String> lines = new java.util.ArrayList<>();
        summary.srm().filter(srm -> !srm.passed()).ifPresent(srm -> lines.add("health: sample ratio mismatch (p = "
                + pValue(srm.pValue()) + ")"));
        if (!summary.biased().isEmpty()) {
            lines.add("health: pre-experiment bias in " + String.join(", ", summary.biased()));
        }
        return lines;
    }

    /**
     * CUPED's figures, one line for the table and the report: {@code CUPED theta 0.81, variance reduction 42.0%}, or
     * with several covariates each one's θ ({@code not used} for one dropped, the warnings say why).
     */
    public static String cuped(dev.pulse.analysis.MetricResult.CupedResult cuped) {
        String reduction = cuped.varianceReduction() == null ? "-" : percent(cuped.varianceReduction());
        if (cuped.covariates().isEmpty()) {
            return "CUPED theta " + number(cuped.theta()) + ", variance reduction " + reduction;
        }
        List<String> coefficients = cuped.covariates().stream()
                .map(c -> c.covariate() + " " + (c.theta() == null ? "not used" : number(c.theta()))).toList();
        return "CUPED with " + cuped.covariatesUsed() + " of " + cuped.covariates().size() + " covariates (theta: "
                + String.join(", ", coefficients) + "), variance reduction " + reduction;
    }

    /**
     * The group-sequential test at planned looks, one line for the table and the report:
     * {@code planned look 2 of 4 (2026-03-15, t = 0.5172, obrien_fleming): z = 2.100, boundary ±3.159
     * (nominal alpha 0.0016): not crossed; repeated relative CI [-1.20%, +5.30%]}; off a look, why there is
     * no decision and the next look's boundary.
     */
    public static String plannedLooks(dev.pulse.analysis.MetricResult.PlannedLookResult planned) {
        dev.pulse.analysis.LookPosition position = planned.position();
        java.util.List<dev.pulse.stats.GroupSequential.Look> looks = planned.design().looks();
        String sign = switch (planned.design().direction()) {
            case TWO_SIDED -> "±";
            case INCREASE -> "";
            case DECREASE -> "-";
        };
        String spending = position.spending().configName();
        if (planned.result().isEmpty()) {
            String next = position.look() < looks.size()
                    ? String.format(Locale.ROOT, "; next look %d%s: boundary %s%s", position.look() + 1,
                            position.nextDate().map(date -> " (" + date + ")").orElse(""), sign,
                            number(looks.get(position.look()).boundary()))
                    : "";
            return "planned looks (" + spending + "): " + String.join("; ", planned.warnings()) + next;
        }
        dev.pulse.stats.GroupSequential.Result result = planned.result().get();
        dev.pulse.stats.GroupSequential.Look look = looks.get(result.look() - 1);
        String date = position.dates().isEmpty() ? "" : position.dates().get(result.look() - 1) + ", ";
        String decision = result.crossed() == null ? "-" : result.crossed() ? "crossed" : "not crossed";
        return String.format(Locale.ROOT,
                "planned look %d of %d (%st = %.4f, %s): z = %s, boundary %s%s (nominal alpha %s): %s; repeated relative CI %s%s",
                result.look(), looks.size(), date, look.fraction(), spending,
                result.zStatistic() == null ? "-" : String.format(Locale.ROOT, "%.3f", result.zStatistic()),
                sign, String.format(Locale.ROOT, "%.3f", look.boundary()), number(look.nominalAlpha()), decision,
                interval(result.relative(), true),
                result.warnings().isEmpty() ? "" : " (" + String.join("; ", result.warnings()) + ")");
    }
}
