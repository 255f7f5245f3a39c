package dev.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.tools.DocumentationTool;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The Java API's Javadoc: the JDK's javadoc run on the module {@code dev.pulse.core}, which documents the packages it
 * exports and nothing else (docs/java-api.md#modules), into {@code pulse-core/target/apidocs}, with every doclint check
 * on and warnings as errors, so that a public type or member without its documentation, a broken {@code @link} or bad
 * HTML fails the build. The internal packages get no Javadoc: they are not API.
 */
class ApiJavadocTest {

    @Test
    void theApiJavadocIsCompleteAndDoclintClean() throws Exception {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        assertNotNull(javadoc, "the JDK's javadoc tool");
        Path out = Path.of("target/apidocs");
        Files.createDirectories(out);
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(null, null, null)) {
            List<String> options = List.of("-d", out.toString(),
                    "--module-source-path", "dev.pulse.core=src/main/java", "--module", "dev.pulse.core",
                    "--module-path", ModuleBoundaryTest.dependencies().stream().map(Path::toString)
                            .collect(Collectors.joining(File.pathSeparator)),
                    "-Xdoclint:all", "-Werror", "-quiet", "-notimestamp", "-encoding", "UTF-8",
                    "-doctitle", "Pulse " + Pulse.version() + " Java API", "-windowtitle", "Pulse Java API");
            boolean ok = javadoc.getTask(messages, files, null, null, options, null).call();
            assertEquals("", messages.toString().strip(), "javadoc's warnings and errors");
            assertTrue(ok, messages.toString());
        }
        assertTrue(Files.isRegularFile(out.resolve("dev.pulse.core/dev/pulse/api/Pulse.html")));
        // element-list names what was documented: the module and the API packages, none of the internal ones
        Set<String> documented = new TreeSet<>(Files.readAllLines(out.resolve("element-list")));
        Set<String> expected = new TreeSet<>(ApiSurfaceTest.API_PACKAGES);
        expected.add("module:dev.pulse.core");
        assertEquals(expected, documented, "the documented module and packages");
        assertTrue(Files.notExists(out.resolve("dev.pulse.core/dev/pulse/api/internal")), "no Javadoc for the internals");
    }
}
