package dev.pulse.analysis;

import dev.pulse.model.PlannedLooks;
import dev.pulse.stats.GroupSequential;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an analysis stands among its experiment's planned looks (docs/analysis-options.md#planned-looks).
 * The rule: the analysis's data run from {@code start} through {@code end} (inclusive); it is look k when
 * {@code end} is the k-th planned date. Each look's information fraction is its calendar fraction,
 * {@code t_k = (date_k − start + 1) / (date_K − start + 1)} in days (Lan &amp; DeMets, "Group sequential
 * procedures: calendar versus information time", Stat. Med. 8, 1989): fixed by the plan, so a look's
 * boundary never changes afterwards, and known without the units of past looks (which Pulse does not keep).
 * Every planned look up to k counts as taken, so a skipped look leaves its α unspent (conservative).
 *
 * @param status    before the first look, at a look, between two looks, or after the last
 * @param look      the look this analysis is (1-based) when {@link Status#AT_LOOK}; else the last look
 *                  before {@code end} (0 before the first)
 * @param dates     the planned dates; empty when given as fractions ({@code pulse stats})
 * @param fractions the information fractions of the planned looks
 * @param spending  the spending function
 */
public record LookPosition(Status status, int look, List<LocalDate> dates, List<Double> fractions,
                           PlannedLooks.Spending spending) {

    /** Where {@code end} falls among the planned looks. */
    public enum Status {
        BEFORE_FIRST_LOOK("before_first_look"),
        AT_LOOK("at_look"),
        BETWEEN_LOOKS("between_looks"),
        AFTER_LAST_LOOK("after_last_look");

        private final String outputName;

        Status(String outputName) {
            this.outputName = outputName;
        }

        /** The name in JSON and CSV. */
        public String outputName() {
            return outputName;
        }
    }

    public LookPosition {
        Objects.requireNonNull(status);
        Objects.requireNonNull(spending);
        dates = List.copyOf(dates);
        fractions = List.copyOf(fractions);
        if (fractions.isEmpty() || (!dates.isEmpty() && dates.size() != fractions.size())) {
            throw new IllegalArgumentException("a look plan needs one fraction per date");
        }
        if (look < 0 || look > fractions.size() || (status == Status.AT_LOOK && look == 0)) {
            throw new IllegalArgumentException("look " + look + " is not among " + fractions.size() + " looks");
        }
    }

    /** The position of an analysis through {@code end} of an experiment from {@code start}. */
    public static LookPosition of(PlannedLooks plan, LocalDate start, LocalDate end) {
        List<LocalDate> dates = plan.dates();
        LocalDate last = dates.get(dates.size() - 1);
        double total = ChronoUnit.DAYS.between(start, last) + 1;
        List<Double> fractions = new ArrayList<>();
        for (LocalDate date : dates) {
            fractions.add((ChronoUnit.DAYS.between(start, date) + 1) / total);
        }
        int before = (int) dates.stream().filter(date -> !date.isAfter(end)).count();
        Status status = before == 0 ? Status.BEFORE_FIRST_LOOK
                : dates.get(before - 1).equals(end) ? Status.AT_LOOK
                : before == dates.size() ? Status.AFTER_LAST_LOOK
                : Status.BETWEEN_LOOKS;
        return new LookPosition(status, before, dates, fractions, plan.spending());
    }

    /** {@code pulse stats}: look {@code look} of looks at {@code fractions}, no dates. */
    public static LookPosition atFraction(List<Double> fractions, int look, PlannedLooks.Spending spending) {
        return new LookPosition(Status.AT_LOOK, look, List.of(), fractions, spending);
    }

    /** The date of the next planned look, if any. */
    public Optional<LocalDate> nextDate() {
        return status == Status.AT_LOOK || look >= dates.size() ? Optional.empty() : Optional.of(dates.get(look));
    }

    /** Why there is no decision, when there is none. */
    Optional<String> noDecisionReason() {
        return switch (status) {
            case AT_LOOK -> Optional.empty();
            case BEFORE_FIRST_LOOK -> Optional.of("before the first planned look (" + dates.get(0)
                    + "): no group-sequential decision yet; set end to a look's date to analyse that look");
            case BETWEEN_LOOKS -> Optional.of("end is between planned looks " + look + " (" + dates.get(look - 1)
                    + ") and " + (look + 1) + " (" + dates.get(look) + "): a group-sequential decision is made on a"
                    + " look's date only; set end to a look's date");
            case AFTER_LAST_LOOK -> Optional.of("end is after the last planned look (" + dates.get(dates.size() - 1)
                    + "): the final decision is the one with end: " + dates.get(dates.size() - 1));
        };
    }

    /** The fractions as the statistics core takes them. */
    double[] fractionArray() {
        return fractions.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The spending function of the statistics core. */
    GroupSequential.Spending statisticsSpending() {
        return switch (spending) {
            case OBRIEN_FLEMING -> GroupSequential.Spending.OBRIEN_FLEMING;
            case POCOCK -> GroupSequential.Spending.POCOCK;
        };
    }
}
