package dev.pulse.cli.serve;

import java.time.Duration;
import java.util.Locale;

/** Escaping and the page frame of the web app's own pages (the report is {@code HtmlReport}'s). */
final class Html {
    private static final String STYLE = """
            body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
            table{border-collapse:collapse}th,td{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #d0d7de}
            button{font:inherit;padding:.2rem .9rem}code,pre{font-family:ui-monospace,monospace}
            .problems li{margin:.3rem 0}.alert{color:#a40e26}nav{margin-bottom:1rem}
            a{color:#0550ae}.scroll{overflow-x:auto}caption{text-align:left;font-weight:600;padding:.3rem 0}
            tr.changed{background:#fff8c5}.flip{color:#a40e26}.was{display:block;color:#57606a;font-size:.85em}
            .now{font-weight:600}td .now{white-space:nowrap}
            ul.figures{margin:0;padding-left:1rem}tr[aria-current]{outline:2px solid #0550ae}
            pre.sql{background:#f6f8fa;padding:.6rem;overflow-x:auto}.ln{color:#57606a}
            mark{background:#fff8c5;color:#1b1f24}.line:target{outline:2px solid #0550ae}
            section.metric-sql:target{outline:2px solid #0550ae;padding:.2rem}
            @media print{nav,form{display:none}.scroll{overflow:visible}}
            @media (max-width:40rem){body{margin:1rem auto}table.comparison,table.history{border:0}
            table.comparison thead,table.history thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
            table.comparison tr,table.history tr{display:block;border-bottom:2px solid #d0d7de;padding:.4rem 0}
            table.comparison th,table.comparison td,table.history th,table.history td{display:block;border:0;padding:.15rem .3rem}
            table.comparison td::before,table.history td::before{content:attr(data-label) ": ";font-weight:600;color:#1b1f24}}
            """;

    private Html() {}

    /** {@code text} safe inside element content and quoted attribute values. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A whole page; {@code title} is escaped here, {@code head} and {@code body} must already be HTML. */
    static String page(String title, String head, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + head
                + "<title>" + escape(title) + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n"
                + body
                + "</body>\n</html>\n";
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String elapsed(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
