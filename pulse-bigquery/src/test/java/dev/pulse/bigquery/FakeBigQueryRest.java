package dev.pulse.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A local stand-in for the BigQuery REST calls the client library makes for a query job ({@code jobs.insert},
 * {@code jobs.getQueryResults}, {@code jobs.get}, {@code tabledata.list}), answering from BigQuery's documented JSON forms. It runs no SQL:
 * it records every job request and answers with the statement type and rows a test chooses. What it proves is the
 * warehouse's side of the protocol (what each job asks for, in which order), never BigQuery's behaviour.
 */
final class FakeBigQueryRest implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A job's answer: its statement type, an error (or null), its result's columns (name → type) and rows. */
    record Answer(String statementType, String error, Map<String, String> columns, List<List<String>> rows,
                  String sessionId) {
        static Answer of(String statementType) {
            return new Answer(statementType, null, Map.of(), List.of(), null);
        }
    }

    private final HttpServer server;
    private final List<JsonNode> jobs = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Function<String, Answer> answer;

    FakeBigQueryRest(Function<String, Answer> answer) throws IOException {
        this.answer = answer;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every {@code jobs.insert} request body, in order (dry runs included). */
    List<JsonNode> jobs() {
        return List.copyOf(jobs);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            respond(exchange);
        } catch (IOException | RuntimeException e) {
            // an answer the client can read, rather than a closed connection it retries
            send(exchange, 500, JSON.createObjectNode().put("fake", String.valueOf(e)));
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        ObjectNode body;
        if (method.equals("POST") && path.matches("/bigquery/v2/projects/[^/]+/jobs")) {
            java.io.InputStream in = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new java.util.zip.GZIPInputStream(in); // the client library compresses request bodies
            }
            JsonNode request = JSON.readTree(in);
            jobs.add(request);
            String sql = request.path("configuration").path("query").path("query").asText();
            String jobId = request.path("jobReference").path("jobId").asText("dry-run");
            Answer chosen = answer.apply(sql);
            answers.put(jobId, chosen);
            body = job(request, jobId, chosen);
        } else if (method.equals("GET") && path.matches("/bigquery/v2/projects/[^/]+/queries/[^/]+")) {
            String jobId = path.substring(path.lastIndexOf('/') + 1);
            body = results(jobId, answers.get(jobId));
        } else if (method.equals("GET") && path.matches("/bigquery/v2/projects/[^/]+/datasets/_anonymous/tables/[^/]+/data")) {
            String table = path.split("/")[8];
            String jobId = answers.keySet().stream().filter(id -> table.equals("anon_" + id.replace('-', '_')))
                    .findFirst().orElseThrow();
            body = results(jobId, answers.get(jobId));
            body.put("kind", "bigquery#tableDataList");
        } else if (method.equals("GET") && path.matches("/bigquery/v2/projects/[^/]+/jobs/[^/]+")) {
            String jobId = path.substring(path.lastIndexOf('/') + 1);
            body = job(JSON.createObjectNode(), jobId, answers.get(jobId));
        } else {
            body = JSON.createObjectNode().put("unexpected", method + " " + path);
            send(exchange, 404, body);
            return;
        }
        send(exchange, 200, body);
    }

    private static ObjectNode job(JsonNode request, String jobId, Answer chosen) {
        ObjectNode job = JSON.createObjectNode();
        job.put("kind", "bigquery#job").put("id", "p:" + jobId);
        job.putObject("jobReference").put("projectId", "p").put("jobId", jobId).put("location", "EU");
        ObjectNode configuration = request.has("configuration") ? request.get("configuration").deepCopy()
                : JSON.createObjectNode();
        // as BigQuery does: a query job's rows are in an anonymous destination table
        ObjectNode query = configuration.has("query") ? (ObjectNode) configuration.get("query")
                : configuration.putObject("query").put("query", "");
        query.putObject("destinationTable").put("projectId", "p").put("datasetId", "_anonymous")
                .put("tableId", "anon_" + jobId.replace('-', '_'));
        job.set("configuration", configuration);
        ObjectNode status = job.putObject("status").put("state", "DONE");
        if (chosen.error() != null) {
            status.putObject("errorResult").put("reason", "invalidQuery").put("message", chosen.error());
        }
        ObjectNode statistics = job.putObject("statistics");
        ObjectNode queryStatistics = statistics.putObject("query").put("statementType", chosen.statementType())
                .put("totalBytesProcessed", "0");
        if (chosen.sessionId() != null) {
            statistics.putObject("sessionInfo").put("sessionId", chosen.sessionId());
        }
        queryStatistics.put("cacheHit", false);
        return job;
    }

    private static ObjectNode results(String jobId, Answer chosen) {
        ObjectNode results = JSON.createObjectNode();
        results.put("kind", "bigquery#getQueryResultsResponse").put("jobComplete", true)
                .put("totalRows", String.valueOf(chosen.rows().size()));
        results.putObject("jobReference").put("projectId", "p").put("jobId", jobId).put("location", "EU");
        var fields = results.putObject("schema").putArray("fields");
        chosen.columns().forEach((name, type) -> fields.addObject().put("name", name).put("type", type));
        var rows = results.putArray("rows");
        for (List<String> row : chosen.rows()) {
            var cells = rows.addObject().putArray("f");
            row.forEach(value -> {
                if (value == null) {
                    cells.addObject().putNull("v");
                } else {
                    cells.addObject().put("v", value);
                }
            });
        }
        return results;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
