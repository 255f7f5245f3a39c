/**
 * Pulse's Java API: analyse experiments from a JVM program as {@code pulse analyze} does, and get typed results.
 *
 * <p>The entry point is {@link dev.pulse.api.Pulse}: load a config ({@link dev.pulse.api.Pulse#config(java.nio.file.Path)}),
 * describe an {@link dev.pulse.api.Analysis} (which experiments, staging tables, an incremental refresh, progress,
 * cancellation) and {@link dev.pulse.api.Analysis#run() run} it. The {@link dev.pulse.api.Results} give each
 * experiment's {@link dev.pulse.api.ExperimentSummary} (groups, the sample-ratio check, each metric's
 * {@link dev.pulse.api.Lift}s) and render the whole results as the CLI's table, JSON, CSV or HTML report.
 * Failures are {@link dev.pulse.error.PulseException}s whose category maps to the CLI's exit codes.
 *
 * <pre>{@code
 * Config config = Pulse.config(Path.of("pulse.yaml"));
 * Results results = Pulse.analysis(config).experiments("pricing_v2").run();
 * for (MetricSummary metric : results.experiment("pricing_v2").orElseThrow().metrics()) {
 *     Lift lift = metric.lifts().get(0);
 *     System.out.println(metric.name() + ": " + lift.relative().estimate());
 * }
 * }</pre>
 *
 * <p>This package and {@code dev.pulse.error} are the public API, covered by the semantic-versioning promise of
 * docs/java-api.md. Every other package of the Pulse jars, {@code dev.pulse.api.internal} included, is internal:
 * it may change in any release.
 */
package dev.pulse.api;
