package dev.pulse.api;

/** The renderings of {@link Results#render(Format)}: those of {@code pulse analyze --format} and {@code --report}. */
public enum Format {
    /** The console table of {@code pulse analyze}. */
    TABLE,
    /** The JSON of {@code pulse analyze --format json}, whose fields docs/cli.md#output-formats describes. */
    JSON,
    /** The CSV of {@code pulse analyze --format csv}: one row per metric and treatment. */
    CSV,
    /** The self-contained HTML report of {@code pulse analyze --report} (docs/report.md). */
    HTML
}
