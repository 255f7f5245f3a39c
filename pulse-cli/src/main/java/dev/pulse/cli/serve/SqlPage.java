package dev.pulse.cli.serve;

import dev.pulse.analysis.MetricFamilies;
import dev.pulse.analysis.MomentsFetcher;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.MetricColumns;
import dev.pulse.plan.Planner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL behind each metric's figures: the experiment's statement (the one a run executed, else the one
 * {@code pulse sql} prints for the config now) with the lines that compute each metric's columns marked, and each
 * percentile or funnel metric's own statement. Every metric has a section {@code #metric-NAME} that the history's
 * figures link to; it names the metric's columns and links to their lines ({@code #s1-L12}).
 */
final class SqlPage {
    private SqlPage() {}

    /**
     * Where the figures of {@code metric} link to on the SQL page at {@code page}: that page with the metric's lines
     * marked, at its section (HTML-escaped).
     */
    static String link(String page, String metric) {
        return Html.escape(page + "?metric=" + java.net.URLEncoder.encode(metric, java.nio.charset.StandardCharsets.UTF_8)
                + "#" + anchor(metric));
    }

    /** The section id of {@code metric}: its name with every character outside [A-Za-z0-9_-] as {@code .XX}. */
    static String anchor(String metric) {
        StringBuilder id = new StringBuilder("metric-");
        metric.codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                id.appendCodePoint(c);
            } else {
                id.append('.').append(Integer.toHexString(c));
            }
        });
        return id.toString();
    }

    /** One metric's columns in the experiment's statement and the lines (from 1) that name them. */
    record Columns(String metric, List<String> names, List<Integer> lines) {
        Columns {
            names = List.copyOf(names);
            lines = List.copyOf(lines);
        }
    }

    /**
     * The columns of each metric of {@code experiment} in {@code sql}: every identifier that starts with the
     * metric's column stem and {@code __} ({@code revenue_per_user__mean_x}), as the planner names them.
     */
    static List<Columns> columns(PulseConfig config, ExperimentName experiment, String sql) {
        List<String> lines = sql.lines().toList();
        List<Columns> all = new ArrayList<>();
        for (MetricColumns metric : Planner.plan(config, experiment).metrics()) {
            Pattern column = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(metric.columnName().with("__"))
                    + "[A-Za-z0-9_]*");
            Set<String> names = new LinkedHashSet<>();
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Matcher matcher = column.matcher(lines.get(i));
                boolean found = false;
                while (matcher.find()) {
                    names.add(matcher.group());
                    found = true;
                }
                if (found) {
                    at.add(i + 1);
                }
            }
            all.add(new Columns(metric.metric().value(), List.copyOf(names), at));
        }
        return all;
    }

    /**
     * The page. {@code executed} is the experiment's statement a run executed; empty: the one the config compiles
     * to now, which {@code intro} should say.
     */
    static String render(String title, String intro, PulseConfig config, ExperimentName experiment,
                         Optional<String> executed, Optional<String> focus, String page, String back) {
        String sql = executed.orElseGet(() -> MomentsFetcher.sql(config, experiment)).stripTrailing();
        List<Columns> columns = columns(config, experiment, sql);
        Set<Integer> marked = new java.util.HashSet<>();
        columns.stream().filter(metric -> focus.filter(metric.metric()::equals).isPresent())
                .forEach(metric -> marked.addAll(metric.lines()));
        StringBuilder body = new StringBuilder();
        body.append(back).append("<main><h1>").append(Html.escape(title)).append("</h1>\n<p>").append(intro)
                .append("</p>\n<p>").append(focus.isPresent() && !marked.isEmpty()
                        ? "The lines that compute the columns of " + Html.escape(focus.get()) + " are <mark>marked</mark>."
                        : "Follow a metric's <em>mark its lines</em> link to mark the lines that compute its columns.")
                .append("</p>\n");
        body.append("<section aria-labelledby=\"metrics\"><h2 id=\"metrics\">Metrics</h2>\n");
        for (MetricName metric : config.experiment(experiment).metrics()) {
            String name = metric.value();
            body.append("<section class=\"metric-sql\" id=\"").append(anchor(name)).append("\" aria-labelledby=\"")
                    .append(anchor(name)).append("-h\"><h3 id=\"").append(anchor(name)).append("-h\">")
                    .append(Html.escape(name)).append("</h3>\n");
            Optional<Columns> own = columns.stream().filter(c -> c.metric().equals(name)).findFirst();
            if (own.isPresent() && !own.get().names().isEmpty()) {
                body.append("<p>Its moments come from <a href=\"#statement-1\">the experiment's statement</a>, columns ");
                body.append(String.join(", ", own.get().names().stream().map(c -> "<code>" + Html.escape(c) + "</code>").toList()));
                body.append(", on lines ");
                body.append(String.join(", ", own.get().lines().stream()
                        .map(line -> "<a href=\"#s1-L" + line + "\">" + line + "</a>").toList()));
                body.append(" (<a href=\"").append(link(page, name)).append("\" aria-label=\"Mark the lines of ")
                        .append(Html.escape(name)).append("\">mark its lines</a>).</p>\n");
            }
            List<MetricFamilies.Statement> statements = MetricFamilies.statements(config, experiment, metric);
            for (MetricFamilies.Statement statement : statements) {
                body.append("<p>Computed by its own statement: ").append(Html.escape(statement.comment())).append("</p>\n");
                body.append("<pre class=\"sql\"><code>").append(Html.escape(statement.sql().stripTrailing()))
                        .append(";</code></pre>\n");
            }
            body.append("</section>\n");
        }
        body.append("</section>\n<section aria-labelledby=\"statement-1\"><h2 id=\"statement-1\">The experiment's"
                + " statement</h2>\n<pre class=\"sql\"><code>");
        List<String> lines = sql.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String text = Html.escape(lines.get(i)) + (number == lines.size() ? ";" : "");
            body.append("<span class=\"line\" id=\"s1-L").append(number).append("\"><span class=\"ln\" aria-hidden=\"true\">")
                    .append(String.format(java.util.Locale.ROOT, "%4d ", number)).append("</span>")
                    .append(marked.contains(number) ? "<mark>" + text + "</mark>" : text).append("</span>\n");
        }
        body.append("</code></pre>\n</section>\n</main>\n");
        return Html.page(title, "", body.toString());
    }
}
