package dev.pulse.cli.serve;

import java.util.Locale;

/** The page of one run: progress while it runs, then its report, its error, or that it was cancelled. */
final class RunPage {
    private RunPage() {}

    static String render(Runs.View run) {
        String name = Html.escape(run.experiment().value());
        String elapsed = Html.elapsed(run.elapsed());
        String nav = "<nav><a href=\"/\">Experiments</a></nav>\n";
        String title = "Pulse: run " + run.id() + " of " + run.experiment().value();
        return switch (run.status()) {
            case QUEUED, RUNNING -> Html.page(title, "<meta http-equiv=\"refresh\" content=\"1\">\n", nav
                    + "<main><h1>Run " + run.id() + ": " + name + "</h1>\n"
                    + "<p role=\"status\" class=\"progress\" data-status=\"" + status(run) + "\">"
                    + (run.status() == Runs.Status.QUEUED ? "Queued: " : "Running: ") + Html.escape(run.phase())
                    + " (" + elapsed + ")</p>\n"
                    + "<form method=\"post\" action=\"/runs/" + run.id() + "/cancel\">"
                    + "<button type=\"submit\" aria-label=\"Cancel run " + run.id() + " of " + name + "\">Cancel</button>"
                    + "</form>\n<p>This page refreshes every second.</p></main>\n");
            case CANCELLED -> Html.page(title, "", nav + "<main><h1>Run " + run.id() + ": " + name + "</h1>\n"
                    + "<p role=\"status\" data-status=\"cancelled\">Cancelled after " + elapsed
                    + "; its result, if the warehouse still returns one, is discarded.</p></main>\n");
            case FAILED -> Html.page(title, "", nav + "<main><h1>Run " + run.id() + ": " + name + "</h1>\n"
                    + "<p role=\"alert\" class=\"alert\" data-status=\"failed\">Failed after " + elapsed + ":</p>\n<pre class=\"error\">"
                    + Html.escape(run.error().orElse("")) + "</pre></main>\n");
            case DONE -> withNav(run.report().orElseThrow(), "<nav class=\"pulse-serve\" data-status=\"done\"><a href=\"/\">"
                    + "Experiments</a> · run " + run.id() + " finished in " + elapsed + " · <a href=\""
                    + PulseServer.historyPath(run.experiment().value()) + "\">run history and what changed</a> · <a href=\"/runs/"
                    + run.id() + "/sql\">the SQL of each metric</a></nav>\n");
        };
    }

    private static String status(Runs.View run) {
        return run.status().name().toLowerCase(Locale.ROOT);
    }

    /** The report page with {@code nav} first in its body. */
    private static String withNav(String report, String nav) {
        int body = report.indexOf("<body");
        int end = body < 0 ? -1 : report.indexOf('>', body);
        return end < 0 ? nav + report : report.substring(0, end + 1) + "\n" + nav + report.substring(end + 1);
    }
}
