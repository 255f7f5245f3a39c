package dev.pulse.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.config.ConfigProblem;
import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pulse serve}: a small web app over one config. {@code GET /} lists its experiments (the file
 * is read again when it changed), {@code POST /run?experiment=NAME} queues an analysis and redirects
 * to {@code GET /runs/ID} (progress, then the report or the error), {@code POST /runs/ID/cancel}
 * cancels it. Pages need no JavaScript and load nothing from elsewhere.
 */
public final class PulseServer implements AutoCloseable {
    private static final Pattern RUN = Pattern.compile("/runs/([0-9]{1,9})");
    private static final Pattern CANCEL = Pattern.compile("/runs/([0-9]{1,9})/cancel");
    private static final Pattern RUN_SQL = Pattern.compile("/runs/([0-9]{1,9})/sql");
    private static final Pattern EXPERIMENT = Pattern.compile("/experiments/([^/]+)/(history|sql)");
    private static final String SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ConfigWatch config;
    private final Runs runs;
    private final RunHistory history;
    private final URI uri;

    private PulseServer(HttpServer server, ExecutorService handlers, ConfigWatch config, Runs runs, RunHistory history,
                        URI uri) {
        this.server = server;
        this.handlers = handlers;
        this.config = config;
        this.runs = runs;
        this.history = history;
        this.uri = uri;
    }

    /**
     * Listens on {@code bind}:{@code port} (0: a free port) and serves {@code file}.
     *
     * @throws PulseException {@link PulseException.Category#INPUT_INVALID} when the address cannot be used
     */
    public static PulseServer start(Path file, InetAddress bind, int port, Analysis analysis) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(bind, port), 0);
        } catch (IOException e) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, String.format(Locale.ROOT,
                    "cannot listen on %s port %d: %s (choose another --port, or --port 0 for a free one)",
                    bind.getHostAddress(), port, e.getMessage()), e);
        }
        ExecutorService handlers = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "pulse-serve-http");
            thread.setDaemon(true);
            return thread;
        });
        InetSocketAddress address = http.getAddress();
        String host = address.getAddress() instanceof java.net.Inet6Address
                ? (address.getAddress().isLoopbackAddress() ? "[::1]" : "[" + address.getAddress().getHostAddress() + "]")
                : address.getAddress().getHostAddress();
        RunHistory history = new RunHistory();
        PulseServer server = new PulseServer(http, handlers, new ConfigWatch(file), new Runs(withHistory(analysis, history)),
                history, URI.create("http://" + host + ":" + address.getPort() + "/"));
        http.setExecutor(handlers);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    /**
     * {@code analysis}, reading the experiment's runs from the results table (when the config names one) before it
     * replaces them with its own, and after, so that the history keeps the run it replaced and learns its own.
     */
    private static Analysis withHistory(Analysis analysis, RunHistory history) {
        return (config, experiment, phase, connected) -> {
            if (config.warehouse().resultsTable().isPresent()) {
                phase.accept("reading the previous run from the results table");
                history.readTable(config, experiment);
            }
            List<dev.pulse.analysis.ExperimentResult> results = analysis.run(config, experiment, phase, connected);
            if (config.warehouse().resultsTable().isPresent()) {
                phase.accept("reading the run history from the results table");
                history.readTable(config, experiment);
            }
            return results;
        };
    }

    /** Where the app is, such as {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return uri;
    }

    /** The address actually listened on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        runs.close();
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            Optional<String> refused = refused(exchange);
            if (refused.isPresent()) {
                send(exchange, 403, message("Refused", refused.get()));
                return;
            }
            Matcher run = RUN.matcher(path);
            Matcher cancel = CANCEL.matcher(path);
            Matcher runSql = RUN_SQL.matcher(path);
            Matcher experimentPage = EXPERIMENT.matcher(exchange.getRequestURI().getRawPath());
            if (path.equals("/")) {
                if (allowed(exchange, "GET")) {
                    send(exchange, 200, list());
                }
            } else if (path.equals("/run")) {
                if (allowed(exchange, "POST")) {
                    startRun(exchange);
                }
            } else if (run.matches()) {
                if (allowed(exchange, "GET")) {
                    int id = Integer.parseInt(run.group(1));
                    Optional<Runs.View> view = runs.view(id);
                    if (view.isPresent()) {
                        send(exchange, 200, RunPage.render(view.get()));
                    } else {
                        send(exchange, 404, message("No such run", "There is no run " + id + " (runs are kept while"
                                + " the app runs: every queued or running one, and the last " + Runs.KEPT
                                + " that ended)."));
                    }
                }
            } else if (cancel.matches()) {
                if (allowed(exchange, "POST")) {
                    int id = Integer.parseInt(cancel.group(1));
                    runs.cancel(id);
                    redirect(exchange, "/runs/" + id);
                }
            } else if (runSql.matches()) {
                if (allowed(exchange, "GET")) {
                    runSql(exchange, Integer.parseInt(runSql.group(1)));
                }
            } else if (experimentPage.matches()) {
                if (allowed(exchange, "GET")) {
                    String name = URLDecoder.decode(experimentPage.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
                    if (experimentPage.group(2).equals("history")) {
                        history(exchange, name);
                    } else {
                        experimentSql(exchange, name);
                    }
                }
            } else {
                send(exchange, 404, message("Not found", "There is no page " + path + " here."));
            }
        } catch (RuntimeException | StackOverflowError e) {
            send(exchange, 500, message("Internal error", e.toString()));
        } finally {
            exchange.close();
        }
    }

    /**
     * Why a request is refused: a Host other than this server's address when listening on loopback
     * (DNS rebinding), or a POST whose Origin is another site (a page elsewhere submitting a form here).
     */
    private Optional<String> refused(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        int port = server.getAddress().getPort();
        if (server.getAddress().getAddress().isLoopbackAddress()) {
            Set<String> local = new java.util.HashSet<>(List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
                    uri.getAuthority().toLowerCase(Locale.ROOT)));
            if (host == null || !local.contains(host.toLowerCase(Locale.ROOT))) {
                return Optional.of("This app answers requests for localhost:" + port + " or 127.0.0.1:" + port + " only.");
            }
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (exchange.getRequestMethod().equals("POST") && origin != null && host != null
                && !origin.equalsIgnoreCase("http://" + host)) {
            return Optional.of("A form from another site cannot start or cancel runs here.");
        }
        return Optional.empty();
    }

    private String list() {
        ConfigWatch.State state = config.current();
        StringBuilder body = new StringBuilder();
        body.append("<header><h1>Pulse</h1><p>Config: <code>").append(Html.escape(config.file().toString()))
                .append("</code> (read again when it changes: reload this page)</p></header>\n<main>\n");
        if (state instanceof ConfigWatch.Valid valid) {
            experiments(valid.config(), body);
        } else if (state instanceof ConfigWatch.Invalid invalid) {
            problems(invalid.problems(), body);
        }
        if (runs.full()) {
            body.append("<p role=\"status\" class=\"alert\">The queue is full: ").append(Runs.QUEUE_LIMIT)
                    .append(" runs are queued or running. A new run can start when one ends or is cancelled.</p>\n");
        }
        List<Runs.View> recent = runs.views();
        if (!recent.isEmpty()) {
            body.append("<section aria-labelledby=\"runs\"><h2 id=\"runs\">Runs</h2>\n<ul class=\"runs\">\n");
            for (Runs.View run : recent) {
                body.append("<li><a href=\"/runs/").append(run.id()).append("\">Run ").append(run.id()).append(": ")
                        .append(Html.escape(run.experiment().value())).append("</a> ")
                        .append(run.status().name().toLowerCase(Locale.ROOT)).append("</li>\n");
            }
            body.append("</ul></section>\n");
        }
        body.append("</main>\n");
        return Html.page("Pulse: " + config.file().getFileName(), "", body.toString());
    }

    private static void experiments(PulseConfig config, StringBuilder body) {
        body.append("<section aria-labelledby=\"experiments\"><h2 id=\"experiments\">Experiments</h2>\n");
        config.warehouse().resultsTable().ifPresent(table -> body.append("<p>Each run also writes its results to the table <code>")
                .append(Html.escape(table.toString())).append("</code>, as <code>pulse analyze</code> does"
                        + " (<code>warehouse.results_table</code> in the config).</p>\n"));
        if (config.experiments().isEmpty()) {
            body.append("<p>The config has no experiments.</p></section>\n");
            return;
        }
        body.append("<table class=\"experiments\">\n<thead><tr><th scope=\"col\">Experiment</th><th scope=\"col\">Unit</th>"
                + "<th scope=\"col\">Dates</th><th scope=\"col\">Metrics</th><th scope=\"col\">Analysis</th><th scope=\"col\">Past runs</th></tr></thead>\n<tbody>\n");
        for (Experiment experiment : config.experiments().values()) {
            String name = experiment.name().value();
            body.append("<tr data-experiment=\"").append(Html.escape(name)).append("\"><th scope=\"row\">")
                    .append(Html.escape(name)).append("</th><td>").append(Html.escape(experiment.unit().value()))
                    .append("</td><td>").append(experiment.start()).append(" to ")
                    .append(experiment.end().map(Object::toString).orElse("today")).append("</td><td>")
                    .append(experiment.metrics().size()).append("</td><td><form method=\"post\" action=\"/run?experiment=")
                    .append(Html.escape(URLEncoder.encode(name, StandardCharsets.UTF_8)))
                    .append("\"><button type=\"submit\" aria-label=\"Run ").append(Html.escape(name))
                    .append("\">Run</button></form></td><td><a class=\"history\" href=\"").append(historyPath(name))
                    .append("\" aria-label=\"Run history of ").append(Html.escape(name)).append("\">History</a></td></tr>\n");
        }
        body.append("</tbody>\n</table>\n</section>\n");
    }

    private static void problems(List<ConfigProblem> problems, StringBuilder body) {
        body.append("<section role=\"alert\" aria-labelledby=\"problems\"><h2 id=\"problems\" class=\"alert\">The config is invalid: ")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("</h2>\n")
                .append("<p>Fix the file and reload this page.</p>\n<ul class=\"problems\">\n");
        for (ConfigProblem problem : problems) {
            body.append("<li><code>").append(Html.escape(problem.format())).append("</code></li>\n");
        }
        body.append("</ul>\n</section>\n");
    }

    /** The path of {@code experiment}'s run history, its name encoded (and escaped for HTML). */
    static String historyPath(String experiment) {
        return "/experiments/" + Html.escape(URLEncoder.encode(experiment, StandardCharsets.UTF_8)) + "/history";
    }

    /**
     * {@code GET /experiments/NAME/history}: reads the results table now (when the config names one), then shows
     * its runs and this app's, and compares the chosen run ({@code ?run=KEY}, else the newest) with the one before.
     */
    private void history(HttpExchange exchange, String name) throws IOException {
        ConfigWatch.State state = config.current();
        Optional<PulseConfig> valid = state instanceof ConfigWatch.Valid v ? Optional.of(v.config()) : Optional.empty();
        Optional<ExperimentName> found = java.util.stream.Stream.concat(
                        valid.stream().flatMap(c -> c.experiments().keySet().stream()),
                        runs.views().stream().map(Runs.View::experiment))
                .filter(e -> e.value().equals(name)).findFirst();
        if (found.isEmpty()) {
            send(exchange, 404, message("No such experiment", "The config has no experiment '" + name + "'."));
            return;
        }
        ExperimentName experiment = found.get();
        Optional<dev.pulse.model.TableName> table = valid.flatMap(c -> c.warehouse().resultsTable());
        if (table.isPresent() && valid.get().experiments().containsKey(experiment)) {
            history.readTable(valid.get(), experiment);
        }
        List<RunHistory.AppRun> appRuns = runs.views().stream()
                .filter(view -> view.experiment().equals(experiment)
                        && view.outcome().filter(outcome -> !outcome.results().isEmpty()).isPresent())
                .map(view -> {
                    Runs.Outcome outcome = view.outcome().get();
                    return new RunHistory.AppRun(view.id(), outcome.started(), outcome.ended(),
                            RunFigures.of(outcome.results().get(0)));
                }).toList();
        String source = table.map(t -> "Runs read from the results table <code>" + Html.escape(t.toString())
                        + "</code> (<code>warehouse.results_table</code>), and this app's runs. <code>pulse analyze</code>"
                        + " keeps only the latest run of each experiment in that table, so the app reads it before and"
                        + " after each of its runs and keeps every run it read while it runs.")
                .orElse("This config has no results table, so the history is this app's runs only, kept in memory"
                        + " until the app stops. To keep runs in the warehouse and see them here after a restart, set"
                        + " <code>warehouse.results_table</code> (<code>results_table: pulse_results</code>).");
        Optional<String> selected = query(exchange.getRequestURI().getRawQuery(), "run");
        send(exchange, 200, HistoryPage.render(name, history.listing(experiment, appRuns), source, selected));
    }

    /** {@code GET /runs/ID/sql}: the statements a finished run executed, each metric's marked. */
    private void runSql(HttpExchange exchange, int id) throws IOException {
        Optional<Runs.View> view = runs.view(id);
        if (view.isEmpty() || view.get().outcome().filter(outcome -> !outcome.results().isEmpty()).isEmpty()) {
            send(exchange, 404, message("No SQL", "Run " + id + " is not a finished run this app keeps."));
            return;
        }
        Runs.Outcome outcome = view.get().outcome().get();
        String name = view.get().experiment().value();
        send(exchange, 200, SqlPage.render("SQL of run " + id + ": " + name, "The statements run " + id + " executed;"
                        + " each metric's figures in the <a href=\"" + historyPath(name) + "\">run history</a> link"
                        + " here.", outcome.config(), view.get().experiment(), Optional.of(outcome.results().get(0).sql()),
                query(exchange.getRequestURI().getRawQuery(), "metric"), "/runs/" + id + "/sql", "<nav><a href=\"/\">Experiments</a> · <a href=\"/runs/" + id + "\">run " + id + "</a> · <a href=\""
                        + historyPath(name) + "\">run history</a></nav>\n"));
    }

    /** {@code GET /experiments/NAME/sql}: the statements the config compiles to now, as {@code pulse sql} prints them. */
    private void experimentSql(HttpExchange exchange, String name) throws IOException {
        Optional<Chosen> chosen = choose(exchange, name, "Its SQL cannot be shown until the config is fixed: see the list.");
        if (chosen.isEmpty()) {
            return;
        }
        send(exchange, 200, SqlPage.render("SQL of " + name, "The statements the config compiles to now, as"
                        + " <code>pulse sql</code> prints them. A run read from the results table may have run an earlier"
                        + " version of the config.", chosen.get().config(), chosen.get().experiment(), Optional.empty(),
                query(exchange.getRequestURI().getRawQuery(), "metric"),
                "/experiments/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/sql", "<nav><a href=\"/\">Experiments</a> · <a href=\"" + historyPath(name) + "\">run history</a></nav>\n"));
    }

    private void startRun(HttpExchange exchange) throws IOException {
        String name = query(exchange.getRequestURI().getRawQuery(), "experiment").orElse("");
        Optional<Chosen> chosen = choose(exchange, name, "Nothing runs until the config is fixed: see the list.");
        if (chosen.isEmpty()) {
            return;
        }
        int id;
        try {
            id = runs.start(chosen.get().config(), chosen.get().experiment());
        } catch (Runs.QueueFull e) {
            send(exchange, 503, message("The queue is full", "The queue is full: " + Runs.QUEUE_LIMIT + " runs are"
                    + " queued or running. Wait for one to end, or cancel one, then run again."));
            return;
        }
        redirect(exchange, "/runs/" + id);
    }

    /** An experiment of the current, valid config. */
    private record Chosen(PulseConfig config, ExperimentName experiment) {}

    /**
     * The experiment {@code name} of the current config; empty once answered 409 when the config is invalid
     * ({@code whileInvalid} says what waits for a fix) or 404 when it has no such experiment.
     */
    private Optional<Chosen> choose(HttpExchange exchange, String name, String whileInvalid) throws IOException {
        if (!(config.current() instanceof ConfigWatch.Valid valid)) {
            send(exchange, 409, message("The config is invalid", whileInvalid));
            return Optional.empty();
        }
        Optional<ExperimentName> experiment = valid.config().experiments().keySet().stream()
                .filter(e -> e.value().equals(name)).findFirst();
        if (experiment.isEmpty()) {
            send(exchange, 404, message("No such experiment", "The config has no experiment '" + name + "'."));
            return Optional.empty();
        }
        return Optional.of(new Chosen(valid.config(), experiment.get()));
    }

    private static Optional<String> query(String rawQuery, String key) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (name.equals(key)) {
                return Optional.of(equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** A small page with a heading and one escaped paragraph. */
    private static String message(String title, String text) {
        return Html.page("Pulse: " + title, "", "<nav><a href=\"/\">Experiments</a></nav>\n<main><h1>" + Html.escape(title)
                + "</h1>\n<p>" + Html.escape(text) + "</p></main>\n");
    }

    private static boolean allowed(HttpExchange exchange, String method) throws IOException {
        String asked = exchange.getRequestMethod();
        if (asked.equals(method) || (method.equals("GET") && asked.equals("HEAD"))) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", method.equals("GET") ? "GET, HEAD" : method);
        send(exchange, 405, message("Method not allowed", "Use " + method + " here."));
        return false;
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    private static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Content-Security-Policy", SECURITY_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // not no-referrer: under it browsers send "Origin: null" with the pages' own forms, which refused() rejects
        exchange.getResponseHeaders().set("Referrer-Policy", "same-origin");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(bytes);
            }
        }
    }
}
