package dev.pulse.api;

/**
 * An incremental refresh (docs/incremental.md), as {@code pulse analyze --incremental}: each experiment's state in the
 * warehouse is brought up to date, reading only the days after the last one it holds less the lookback, and its
 * results are computed from it, with the numbers of a full run.
 *
 * @param lookbackDays how many of the last days the state holds are read again for rows that land late (0 to 366)
 * @param fullRefresh  rebuild the state from every day ({@code --full-refresh})
 * @param checkHistory count the rows per day of the days before the lookback and rebuild when they changed
 *                     ({@code --no-history-check} turns it off)
 */
public record Incremental(int lookbackDays, boolean fullRefresh, boolean checkHistory) {

    /**
     * Checks the lookback.
     *
     * @param lookbackDays how many of the last days the state holds are read again (0 to 366)
     * @param fullRefresh  rebuild the state from every day
     * @param checkHistory count the rows per day before the lookback
     * @throws IllegalArgumentException when {@code lookbackDays} is not 0 to 366
     */
    public Incremental {
        if (lookbackDays < 0 || lookbackDays > 366) {
            throw new IllegalArgumentException("the lookback is 0 to 366 days, got " + lookbackDays);
        }
    }

    /**
     * The CLI's defaults.
     *
     * @return a 2-day lookback, history checked, no full refresh
     */
    public static Incremental defaults() {
        return new Incremental(2, false, true);
    }
}
