package dev.pulse.cli.serve;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The run history of one experiment ({@code GET /experiments/NAME/history}): a run compared with the one before
 * it, then every past run, newest first, with its key figures. Every number carries its exact value in
 * {@code data-value} (what the tests compare with the JSON), and each metric's figures link to the SQL that
 * computed them.
 */
final class HistoryPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private HistoryPage() {}

    /**
     * @param source   a sentence saying where the runs come from (already HTML)
     * @param selected the key of the run to compare with the one before it; empty: the newest
     */
    static String render(String experiment, RunHistory.Listing listing, String source, Optional<String> selected) {
        String name = Html.escape(experiment);
        String path = "/experiments/" + Html.escape(URLEncoder.encode(experiment, StandardCharsets.UTF_8));
        StringBuilder body = new StringBuilder("<nav><a href=\"/\">Experiments</a></nav>\n<main>\n<h1>Run history: ")
                .append(name).append("</h1>\n<p class=\"source\">").append(source).append("</p>\n");
        listing.problem().ifPresent(problem -> body.append("<p role=\"alert\" class=\"alert\" data-problem>")
                .append(Html.escape(problem)).append("</p>\n"));
        List<PastRun> runs = listing.runs();
        if (runs.isEmpty()) {
            body.append("<p data-runs=\"0\">No run of ").append(name).append(" yet: run it from the list.</p>\n");
            return Html.page("Pulse: run history of " + experiment, "", body.append("</main>\n").toString());
        }
        int current = selected.flatMap(key -> index(runs, key)).orElse(0);
        if (current + 1 < runs.size()) {
            comparison(body, path, runs.get(current), runs.get(current + 1));
        } else {
            body.append("<p>Nothing to compare ").append(label(runs.get(current)))
                    .append(" with: it is the oldest run in the history.</p>\n");
        }
        history(body, path, runs, current);
        return Html.page("Pulse: run history of " + experiment, "", body.append("</main>\n").toString());
    }

    private static Optional<Integer> index(List<PastRun> runs, String key) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).key().equals(key)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static void comparison(StringBuilder body, String path, PastRun current, PastRun previous) {
        RunComparison comparison = RunComparison.of(current.figures(), previous.figures());
        body.append("<section id=\"comparison\" aria-labelledby=\"comparison-h\" data-current=\"")
                .append(Html.escape(current.key())).append("\" data-previous=\"").append(Html.escape(previous.key()))
                .append("\">\n<h2 id=\"comparison-h\">What changed: ").append(label(current)).append(" against ")
                .append(label(previous)).append("</h2>\n<p>Changes are this run's figure less the previous run's;"
                        + " lifts and their interval bounds change in percentage points (pp). Rows whose decision"
                        + " flipped, and comparisons only one run has, are highlighted.</p>\n");
        body.append("<div class=\"scroll\"><table class=\"comparison\">\n<caption>Metrics: ").append(label(current))
                .append(" against ").append(label(previous)).append("</caption>\n<thead><tr><th scope=\"col\">Metric</th>"
                        + "<th scope=\"col\">Group</th><th scope=\"col\">Lift</th><th scope=\"col\">Interval</th>"
                        + "<th scope=\"col\">p-value</th><th scope=\"col\">Decision</th><th scope=\"col\">Units"
                        + " (control, treatment)</th></tr></thead>\n<tbody>\n");
        for (RunComparison.MetricChange change : comparison.metrics()) {
            body.append("<tr data-metric=\"").append(Html.escape(change.metric())).append("\" data-group=\"")
                    .append(Html.escape(change.group())).append('"')
                    .append(change.highlighted() ? " class=\"changed\"" : "").append(">\n<th scope=\"row\"><a href=\"")
                    .append(SqlPage.link(sqlPage(path, current), change.metric()))
                    .append("\" aria-label=\"").append(Html.escape(change.metric())).append(": the SQL that computed it\">")
                    .append(Html.escape(change.metric())).append("</a></th><td data-label=\"Group\">").append(Html.escape(change.group()))
                    .append("</td>\n<td data-label=\"Lift\">").append(moved("lift", change.lift(), Format.PERCENT))
                    .append("</td>\n<td data-label=\"Interval\">").append(interval(change))
                    .append("</td>\n<td data-label=\"p-value\">").append(moved("p-value", change.pValue(), Format.P_VALUE))
                    .append("</td>\n<td data-label=\"Decision\">").append(decision(change))
                    .append("</td>\n<td data-label=\"Units (control, treatment)\">")
                    .append(moved("control-units", change.controlUnits(), Format.COUNT)).append(' ')
                    .append(moved("treatment-units", change.treatmentUnits(), Format.COUNT)).append("</td></tr>\n");
        }
        body.append("</tbody>\n</table></div>\n");
        body.append("<table class=\"units\">\n<caption>Units and sample ratio</caption>\n<thead><tr><th scope=\"col\">"
                + "Group</th><th scope=\"col\">Units</th></tr></thead>\n<tbody>\n");
        for (RunComparison.UnitsChange units : comparison.units()) {
            body.append("<tr data-group=\"").append(Html.escape(units.group())).append("\"><th scope=\"row\">")
                    .append(Html.escape(units.group())).append("</th><td data-label=\"Units\">").append(moved("units", units.units(), Format.COUNT))
                    .append("</td></tr>\n");
        }
        body.append("<tr data-srm").append(comparison.srm() == RunComparison.Flip.SAME ? "" : " class=\"changed\"")
                .append("><th scope=\"row\">SRM p-value</th><td data-label=\"p-value\">").append(moved("srm-p-value", comparison.srmPValue(),
                        Format.P_VALUE))
                .append(switch (comparison.srm()) {
                    case SAME -> "";
                    case BECAME_YES -> " <strong class=\"flip\" data-flip=\"passes\">the SRM check passes now</strong>";
                    case BECAME_NO -> " <strong class=\"flip\" data-flip=\"fails\">the SRM check fails now</strong>";
                }).append("</td></tr>\n</tbody>\n</table>\n</section>\n");
    }

    private static String decision(RunComparison.MetricChange change) {
        if (change.previous().isEmpty()) {
            return "<strong class=\"flip\" data-flip=\"new\">new in this run</strong>";
        }
        if (change.current().isEmpty()) {
            return "<strong class=\"flip\" data-flip=\"gone\">not in this run</strong>";
        }
        String now = significance(change.current().get().significant());
        return switch (change.significance()) {
            case SAME -> "<span data-flip=\"same\">" + now + " (unchanged)</span>";
            case BECAME_YES -> "<strong class=\"flip\" data-flip=\"significant\">became significant</strong>";
            case BECAME_NO -> "<strong class=\"flip\" data-flip=\"not-significant\">no longer significant</strong>";
        };
    }

    private static String significance(Boolean significant) {
        return significant == null ? "undefined" : significant ? "significant" : "not significant";
    }

    private static void history(StringBuilder body, String path, List<PastRun> runs, int current) {
        body.append("<section aria-labelledby=\"runs-h\"><h2 id=\"runs-h\">Past runs, newest first</h2>\n")
                .append("<div class=\"scroll\"><table class=\"history\" data-runs=\"").append(runs.size())
                .append("\">\n<caption>Each run's key figures; lift with its interval, then the p-value</caption>\n<thead>"
                        + "<tr><th scope=\"col\">Run</th><th scope=\"col\">Units</th><th scope=\"col\">SRM p-value</th>"
                        + "<th scope=\"col\">Metrics</th><th scope=\"col\">Compare</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < runs.size(); i++) {
            PastRun run = runs.get(i);
            body.append("<tr data-run=\"").append(Html.escape(run.key())).append("\" data-source=\"")
                    .append(run.fromTable() ? "table" : "app").append('"').append(i == current ? " aria-current=\"true\"" : "")
                    .append(">\n<th scope=\"row\">").append(label(run));
            run.appRun().ifPresent(id -> body.append("<br><a href=\"/runs/").append(id).append("\">report of run ")
                    .append(id).append("</a>"));
            body.append("</th>\n<td data-label=\"Units\">");
            body.append(String.join("<br>", run.figures().units().entrySet().stream().map(units -> Html.escape(units.getKey())
                    + ": " + number("units", units.getValue().doubleValue(), Format.COUNT)).toList()));
            body.append("</td>\n<td data-label=\"SRM p-value\">")
                    .append(number("srm-p-value", run.figures().srmPValue().orElse(null), Format.P_VALUE))
                    .append("</td>\n<td data-label=\"Metrics\"><ul class=\"figures\">\n");
            for (RunFigures.MetricFigures metric : run.figures().metrics()) {
                body.append("<li data-metric=\"").append(Html.escape(metric.metric())).append("\" data-group=\"")
                        .append(Html.escape(metric.group())).append("\"><a href=\"").append(SqlPage.link(sqlPage(path, run), metric.metric())).append("\" aria-label=\"")
                        .append(Html.escape(metric.metric() + " (" + metric.group())).append("): the SQL that computed it\">")
                        .append(Html.escape(metric.metric())).append("</a> (").append(Html.escape(metric.group()))
                        .append("): ").append(number("lift", metric.lift(), Format.PERCENT)).append(" [")
                        .append(number("lower", metric.lower(), Format.PERCENT)).append(", ")
                        .append(number("upper", metric.upper(), Format.PERCENT)).append("], p ")
                        .append(number("p-value", metric.pValue(), Format.P_VALUE))
                        .append(Boolean.TRUE.equals(metric.significant()) ? ", <strong>significant</strong>" : "")
                        .append("</li>\n");
            }
            body.append("</ul></td>\n<td data-label=\"Compare\">");
            if (i + 1 < runs.size()) {
                body.append("<a href=\"").append(path).append("/history?run=")
                        .append(Html.escape(URLEncoder.encode(run.key(), StandardCharsets.UTF_8)))
                        .append("#comparison\" aria-label=\"Compare ").append(Html.escape(label(run)))
                        .append(" with the run before it\">with the run before</a>");
            }
            body.append("</td></tr>\n");
        }
        body.append("</tbody>\n</table></div>\n</section>\n");
    }

    /** The SQL page a run's figures link to: the run's own while the app keeps it, else the config's now. */
    private static String sqlPage(String path, PastRun run) {
        return run.appRun().map(id -> "/runs/" + id + "/sql").orElse(path + "/sql");
    }

    /** How a run is named on the page: its time, and where it came from (already escaped). */
    static String label(PastRun run) {
        return "run of " + TIME.format(run.runAt()) + (run.appRun().map(id -> " (app run " + id + ")").orElse(""));
    }

    enum Format { PERCENT, P_VALUE, COUNT }

    /** A figure now, then on a line of its own its previous value and its change. */
    private static String moved(String name, RunComparison.Figure figure, Format format) {
        return "<span class=\"now\">" + number(name, figure.current(), format) + "</span><span class=\"was\">was "
                + number(name + "-previous", figure.previous(), format) + ", change " + change(name, figure, format)
                + "</span>";
    }

    /** The interval now, then its previous ends and each end's change. */
    private static String interval(RunComparison.MetricChange change) {
        return "<span class=\"now\">[" + number("lower", change.lower().current(), Format.PERCENT) + ", "
                + number("upper", change.upper().current(), Format.PERCENT) + "]</span><span class=\"was\">was ["
                + number("lower-previous", change.lower().previous(), Format.PERCENT) + ", "
                + number("upper-previous", change.upper().previous(), Format.PERCENT) + "], change "
                + change("lower", change.lower(), Format.PERCENT) + " and " + change("upper", change.upper(), Format.PERCENT)
                + "</span>";
    }

    private static String change(String name, RunComparison.Figure figure, Format format) {
        Double change = figure.change();
        return "<span data-name=\"" + name + "-change\" data-value=\"" + (change == null ? "" : change) + "\">"
                + (change == null ? "n/a" : format(change, format, true)) + "</span>";
    }

    /** A number with its exact value in {@code data-value}; "n/a" where undefined. */
    private static String number(String name, Double value, Format format) {
        return "<span class=\"number\" data-name=\"" + name + "\" data-value=\"" + (value == null ? "" : value) + "\">"
                + (value == null ? "n/a" : format(value, format, false)) + "</span>";
    }

    private static String format(double value, Format format, boolean signed) {
        return switch (format) {
            case PERCENT -> signed(String.format(Locale.ROOT, "%.2f", value * 100), signed) + (signed ? " pp" : "%");
            case P_VALUE -> signed ? signed(String.format(Locale.ROOT, "%.4f", value), true)
                    : value < 0.0001 ? "&lt;0.0001" : String.format(Locale.ROOT, "%.4f", value);
            case COUNT -> signed(String.format(Locale.ROOT, "%,d", Math.round(value)), signed);
        };
    }

    // a change's sign as shown after rounding: a change that rounds to zero shows as 0.00, neither +0.00 nor -0.00
    // (two runs of the same data can differ in the last bits of a sum)
    private static String signed(String rounded, boolean signed) {
        boolean zero = rounded.replaceAll("[-+0.,]", "").isEmpty();
        if (zero) {
            return rounded.replace("-", "");
        }
        return signed && !rounded.startsWith("-") ? "+" + rounded : rounded;
    }
}
