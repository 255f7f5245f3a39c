package dev.pulse.model;

/**
 * A metric window relative to each unit's first exposure: a unit's rows count when their timestamp
 * is in {@code [first exposure + startDays, first exposure + endDays)} (days of 24 hours; start
 * inclusive, end exclusive). A unit whose window has not closed by the experiment's end, that is
 * {@code first exposure + endDays > end + 1 day 00:00 UTC}, has no value for the metric: it is left
 * out of the metric's n and counted as excluded with its window open.
 *
 * @param startDays days after the first exposure the window opens, at least 0
 * @param endDays   days after the first exposure the window closes, more than {@code startDays}
 */
public record MetricWindow(int startDays, int endDays) {
    /** The longest window, in days: ten years. */
    public static final int MAX_DAYS = 3650;

    public MetricWindow {
        if (startDays < 0) {
            throw new IllegalArgumentException("a window starts at or after the first exposure, got start_days " + startDays);
        }
        if (endDays <= startDays) {
            throw new IllegalArgumentException("a window ends after it starts, got start_days " + startDays
                    + " and end_days " + endDays);
        }
        if (endDays > MAX_DAYS) {
            throw new IllegalArgumentException("a window ends at most " + MAX_DAYS + " days after exposure, got " + endDays);
        }
    }
}
