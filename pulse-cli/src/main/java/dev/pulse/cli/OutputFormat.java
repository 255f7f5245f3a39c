package dev.pulse.cli;

/** The formats {@code analyze} and {@code stats} can print. */
enum OutputFormat {
    TABLE,
    JSON,
    CSV
}
