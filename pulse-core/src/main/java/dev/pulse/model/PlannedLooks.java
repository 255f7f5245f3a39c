package dev.pulse.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A group-sequential test at planned looks (docs/analysis-options.md#planned-looks): the dates at which
 * the experiment will be analysed and how the error rate is spent over them. Exclusive with the
 * always-valid {@link Sequential} test.
 *
 * @param dates    the look dates, strictly increasing, 1 to {@link #MAX_LOOKS}; copied
 * @param spending the Lan–DeMets spending function
 */
public record PlannedLooks(List<LocalDate> dates, Spending spending) {
    /** The most looks a plan may have (the statistics core's limit). */
    public static final int MAX_LOOKS = 50;

    public PlannedLooks {
        dates = List.copyOf(dates);
        Objects.requireNonNull(spending);
        if (dates.isEmpty() || dates.size() > MAX_LOOKS) {
            throw new IllegalArgumentException("planned looks need 1 to " + MAX_LOOKS + " dates, got " + dates.size());
        }
        for (int i = 1; i < dates.size(); i++) {
            if (!dates.get(i).isAfter(dates.get(i - 1))) {
                throw new IllegalArgumentException("planned look dates must increase: " + dates);
            }
        }
    }

    /** The Lan–DeMets (1983) spending functions. */
    public enum Spending {
        OBRIEN_FLEMING("obrien_fleming"),
        POCOCK("pocock");

        private final String configName;

        Spending(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }
}
