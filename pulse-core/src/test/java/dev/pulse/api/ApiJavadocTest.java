package dev.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The Java API's Javadoc: generated for the API packages only ({@code dev.pulse.api}, {@code dev.pulse.error}) into
 * {@code pulse-core/target/apidocs}, with every doclint check on and warnings as errors, so that a public type or
 * member without its documentation, a broken {@code @link} or bad HTML fails the build. The internal packages get
 * no Javadoc: they are not API.
 */
class ApiJavadocTest {

    @Test
    void theApiJavadocIsCompleteAndDoclintClean() throws Exception {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        assertNotNull(javadoc, "the JDK's javadoc tool");
        List<Path> sources = new ArrayList<>();
        for (String folder : List.of("src/main/java/dev/pulse/api", "src/main/java/dev/pulse/error")) {
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        assertTrue(sources.size() > 10, sources.toString());
        Path out = Path.of("target/apidocs");
        Files.createDirectories(out);
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            List<String> options = List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-Xdoclint:all", "-Werror", "-quiet", "-notimestamp", "-encoding", "UTF-8",
                    "-doctitle", "Pulse " + Pulse.version() + " Java API", "-windowtitle", "Pulse Java API");
            boolean ok = javadoc.getTask(messages, files, null, null, options, units).call();
            assertEquals("", messages.toString().strip(), "javadoc's warnings and errors");
            assertTrue(ok, messages.toString());
        }
        assertTrue(Files.isRegularFile(out.resolve("dev/pulse/api/Pulse.html")));
        assertTrue(Files.notExists(out.resolve("dev/pulse/api/internal")), "no Javadoc for the internals");
    }
}
