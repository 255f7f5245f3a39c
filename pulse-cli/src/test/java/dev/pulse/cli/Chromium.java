package dev.pulse.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium for the browser tests, driven over the Chrome DevTools Protocol (CDP) with the
 * JDK's WebSocket and Jackson: no WebDriver, nothing downloaded. One browser serves a whole test class; each
 * {@link #open} is a new tab that records, from before its first request, what the page logs and requests:
 * console messages ({@code Runtime.consoleAPICalled}), uncaught exceptions ({@code Runtime.exceptionThrown}),
 * the browser's own messages such as CSP violations and failed loads ({@code Log.entryAdded}) and every
 * request ({@code Network.requestWillBeSent}).
 *
 * <p>Chromium comes from {@code $PULSE_CHROMIUM} or {@code chromium} on the {@code PATH}; without it the tests
 * are skipped, unless {@code PULSE_REQUIRE_BROWSER} is set (as {@code .ci/run} does): then they fail. Every
 * host name but 127.0.0.1 resolves to nothing ({@code --host-resolver-rules}), so a page that tries to reach
 * another host is recorded without any traffic leaving the machine.
 */
final class Chromium implements AutoCloseable {
    /** Where the screenshots go: build output, never committed. */
    static final Path ARTIFACTS = Path.of("target", "browser-artifacts");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final Map<String, Page> pages = new ConcurrentHashMap<>();

    private Chromium(Process process, URI endpoint) {
        this.process = process;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(endpoint, new Listener()).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
    }

    /** Starts headless Chromium with a fresh profile under {@code folder}; skips or fails the test without one. */
    static Chromium start(Path folder) throws IOException, InterruptedException {
        Optional<Path> browser = find();
        if (browser.isEmpty() && System.getenv("PULSE_REQUIRE_BROWSER") != null) {
            throw new AssertionError("PULSE_REQUIRE_BROWSER is set but no chromium was found on PATH (or PULSE_CHROMIUM)");
        }
        assumeTrue(browser.isPresent(), "no chromium on PATH; set PULSE_REQUIRE_BROWSER to make this a failure");
        Path profile = Files.createTempDirectory(folder, "chromium-profile");
        Process process = new ProcessBuilder(browser.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(folder.resolve("chromium.err").toFile())
                .start();
        // Chromium writes the port it picked, and the browser's WebSocket path, to this file once it listens
        Path port = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.exists(port) || Files.readAllLines(port).size() < 2) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not start: " + Files.readString(folder.resolve("chromium.err")));
            }
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(port);
        return new Chromium(process, URI.create("ws://127.0.0.1:" + lines.get(0) + lines.get(1)));
    }

    static Optional<Path> find() {
        String configured = System.getenv("PULSE_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A new 1280 px wide tab that loads {@code uri}: returns once the load event fired and a moment passed,
     * so that what the page does while loading is recorded.
     */
    Page open(URI uri) throws InterruptedException {
        String target = call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
                .get("targetId").asText();
        String session = call(null, "Target.attachToTarget", JSON.createObjectNode().put("targetId", target)
                .put("flatten", true)).get("sessionId").asText();
        Page page = new Page(target, session);
        pages.put(session, page);
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
            call(session, domain + ".enable", JSON.createObjectNode());
        }
        call(session, "Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", 1280).put("height", 900)
                .put("deviceScaleFactor", 1).put("mobile", false));
        JsonNode navigated = call(session, "Page.navigate", JSON.createObjectNode().put("url", uri.toString()));
        if (navigated.has("errorText")) {
            throw new AssertionError("cannot load " + uri + ": " + navigated.get("errorText").asText());
        }
        if (!page.loaded.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(uri + " did not finish loading in " + TIMEOUT_SECONDS + " s");
        }
        Thread.sleep(300); // late console messages and requests (a CSP report, an image) arrive after the load event
        return page;
    }

    /** Sends one CDP command (to the browser, or to a tab's {@code session}) and waits for its result. */
    private JsonNode call(String session, String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        synchronized (socket) { // one message at a time on the socket
            socket.sendText(message.toString(), true).join();
        }
        JsonNode answer = reply.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        if (answer.has("error")) {
            throw new AssertionError(method + " failed: " + answer.get("error"));
        }
        return answer.get("result");
    }

    /** Asks the browser to quit, so that it and its helper processes leave the profile folder before it is deleted. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> helpers = process.descendants().toList();
        try {
            call(null, "Browser.close", JSON.createObjectNode());
        } catch (RuntimeException e) {
            // already gone, or not answering: stopped below either way
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        helpers.forEach(ProcessHandle::destroyForcibly); // gone already, unless the browser was killed

    }

    /** One tab: what it logged and requested, and ways to look at it. */
    final class Page {
        private final String target;
        private final String session;
        private final CountDownLatch loaded = new CountDownLatch(1);
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

        private Page(String target, String session) {
            this.target = target;
            this.session = session;
        }

        /** Console errors and warnings, uncaught exceptions, and the browser's errors and warnings, in order. */
        List<String> problems() {
            synchronized (problems) {
                return List.copyOf(problems);
            }
        }

        /** The URL of every request the page made, the page itself first, in order. */
        List<String> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        /** The DOM as the browser holds it now. */
        String html() throws InterruptedException {
            return evaluate("document.documentElement.outerHTML").asText();
        }

        /**
         * The value of a JavaScript expression (a promise is awaited), as JSON. Tried again when the page was
         * navigating (a refresh) just then and its JavaScript context went away under the call.
         */
        JsonNode evaluate(String expression) throws InterruptedException {
            JsonNode result = null;
            for (int attempt = 1; result == null; attempt++) {
                try {
                    result = call(session, "Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                            .put("returnByValue", true).put("awaitPromise", true));
                } catch (AssertionError e) {
                    if (attempt == 3 || !e.getMessage().contains("context")) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
            if (result.has("exceptionDetails")) {
                throw new AssertionError(expression + " threw: " + result.get("exceptionDetails"));
            }
            return result.get("result").path("value");
        }

        /** The browser's accessibility tree: one node per object, with its computed role and name. */
        JsonNode accessibilityTree() {
            return call(session, "Accessibility.getFullAXTree", JSON.createObjectNode()).get("nodes");
        }

        /**
         * Lays the page out again at {@code width} × {@code height} CSS pixels, as a phone ({@code mobile}: the viewport
         * meta tag applies) or a laptop would, and waits a moment for the layout.
         */
        void viewport(int width, int height, boolean mobile) throws InterruptedException {
            call(session, "Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width)
                    .put("height", height).put("deviceScaleFactor", 1).put("mobile", mobile));
            Thread.sleep(200);
        }

        /** A PNG of the whole page (up to 10,000 px tall), saved as {@code target/browser-artifacts/NAME.png}. */
        Path screenshot(String name) throws IOException {
            JsonNode size = call(session, "Page.getLayoutMetrics", JSON.createObjectNode()).get("cssContentSize");
            ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0).put("scale", 1)
                    .put("width", Math.max(1, size.get("width").asDouble()))
                    .put("height", Math.min(10_000, Math.max(1, size.get("height").asDouble())));
            ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
            params.set("clip", clip);
            byte[] png = Base64.getDecoder().decode(call(session, "Page.captureScreenshot", params).get("data").asText());
            Files.createDirectories(ARTIFACTS);
            Path file = ARTIFACTS.resolve(name + ".png");
            Files.write(file, png);
            return file;
        }

        /** The page printed to PDF, as the print dialog would (the {@code beforeprint} handlers run). */
        byte[] pdf() {
            return Base64.getDecoder().decode(call(session, "Page.printToPDF", JSON.createObjectNode()
                    .put("displayHeaderFooter", false)).get("data").asText());
        }

        /** Emulates a screen {@code width} × {@code height} CSS pixels (a laptop's, a phone's) for what follows. */
        void viewport(int width, int height) {
            call(session, "Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width)
                    .put("height", height).put("deviceScaleFactor", 1).put("mobile", width < 600));
        }

        /** Closes the tab. */
        void close() {
            call(null, "Target.closeTarget", JSON.createObjectNode().put("targetId", target));
            pages.remove(session);
        }

        private void event(String method, JsonNode params) {
            switch (method) {
                case "Page.loadEventFired" -> loaded.countDown();
                case "Network.requestWillBeSent" -> requests.add(params.get("request").get("url").asText());
                case "Runtime.consoleAPICalled" -> {
                    String type = params.get("type").asText();
                    if (List.of("error", "warning", "assert").contains(type)) {
                        List<String> arguments = new ArrayList<>();
                        params.get("args").forEach(a -> arguments.add(a.has("value") ? a.get("value").asText()
                                : a.path("description").asText()));
                        problems.add("console." + type + ": " + String.join(" ", arguments));
                    }
                }
                case "Runtime.exceptionThrown" -> {
                    JsonNode details = params.get("exceptionDetails");
                    problems.add("uncaught: " + details.path("exception").path("description").asText(details.get("text").asText()));
                }
                case "Log.entryAdded" -> {
                    JsonNode entry = params.get("entry");
                    String level = entry.get("level").asText();
                    if (level.equals("error") || level.equals("warning")) {
                        problems.add("browser " + level + " (" + entry.get("source").asText() + "): " + entry.get("text").asText()
                                + (entry.has("url") ? " " + entry.get("url").asText() : ""));
                    }
                }
                default -> { }
            }
        }
    }

    /** Gathers the fragments of each message; hands replies to their caller and events to their tab. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = replies.remove(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    } else {
                        Page page = pages.get(message.path("sessionId").asText(""));
                        if (page != null) {
                            page.event(message.get("method").asText(), message.get("params"));
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("not JSON from chromium: " + text, e);
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
