package dev.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module boundary (docs/java-api.md#modules): {@code dev.pulse.core} exports the API packages and nothing else,
 * so that a program on the module path that requires it compiles against {@code dev.pulse.api} and
 * {@code dev.pulse.error} and fails to compile against any other package of Pulse's, {@code dev.pulse.stats}
 * included. The programs are compiled here with javac against the module this build made ({@code target/classes})
 * and its dependencies, as a user's build would.
 */
class ModuleBoundaryTest {
    private static final Path CLASSES = Path.of("target/classes");

    @TempDir
    Path dir;

    @Test
    void theModuleExportsTheApiPackagesAndNothingElse() {
        ModuleDescriptor core = descriptor("dev.pulse.core");
        assertFalse(core.isAutomatic(), "dev.pulse.core has a module-info, not just a name");
        assertEquals(ApiSurfaceTest.API_PACKAGES, core.exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()), "the exported packages");
        assertTrue(core.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), core.exports().toString());
        // open (at run time, not for compiling) for the HTML report's templates only: mustache.java reads them
        assertEquals(Set.of("dev.pulse.output.html"), core.opens().stream()
                .map(ModuleDescriptor.Opens::source).collect(Collectors.toSet()), "the open packages");
        assertFalse(core.isOpen(), "the module is not open as a whole");
        ModuleDescriptor stats = descriptor("dev.pulse.stats");
        assertFalse(stats.isAutomatic());
        assertTrue(stats.exports().stream().allMatch(export -> export.targets().equals(Set.of("dev.pulse.core"))),
                "the statistics are Pulse's own: " + stats.exports());
    }

    @Test
    void aProgramOnTheApiCompilesOnTheModulePath() throws IOException {
        write("module-info.java", "module consumer { requires dev.pulse.core; }");
        write("consumer/UsesApi.java", """
                package consumer;

                import dev.pulse.api.Config;
                import dev.pulse.api.Format;
                import dev.pulse.api.Pulse;
                import dev.pulse.error.PulseException;
                import java.nio.file.Path;

                public final class UsesApi {
                    public static String run() throws PulseException {
                        Config config = Pulse.config(Path.of("pulse.yaml"));
                        return Pulse.analysis(config).run().render(Format.JSON);
                    }
                }
                """);
        List<Diagnostic<? extends JavaFileObject>> errors = compile();
        assertEquals(List.of(), errors, "a program on the API compiles");
    }

    /**
     * One program imports a public class of each internal package: every import fails with javac's "package … is
     * not visible … does not export it", and nothing else does.
     */
    @Test
    void aProgramOnAnInternalPackageDoesNotCompile() throws IOException {
        Set<String> internal = new TreeSet<>(descriptor("dev.pulse.core").packages());
        internal.removeAll(ApiSurfaceTest.API_PACKAGES);
        internal.addAll(descriptor("dev.pulse.stats").packages());
        assertTrue(internal.containsAll(Set.of("dev.pulse.sql", "dev.pulse.analysis", "dev.pulse.api.internal",
                "dev.pulse.stats")), internal.toString());
        write("module-info.java", "module consumer { requires dev.pulse.core; requires dev.pulse.stats; }");
        int probe = 0;
        for (String pkg : internal) {
            write("consumer/Probe" + probe + ".java", "package consumer;\n\nimport " + publicClassOf(pkg)
                    + ";\n\nfinal class Probe" + probe + " {\n}\n");
            probe++;
        }
        List<Diagnostic<? extends JavaFileObject>> errors = compile();
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            assertEquals("compiler.err.package.not.visible", error.getCode(), error.toString());
            assertTrue(error.getMessage(null).contains("does not export it"), error.getMessage(null));
        }
        Set<String> refused = errors.stream()
                .map(error -> error.getMessage(null).replaceFirst("(?s)^package (\\S+) is not visible.*", "$1"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(internal, refused, "every internal package is refused");
    }

    private static ModuleDescriptor descriptor(String module) {
        return ModuleFinder.of(modulePath().toArray(Path[]::new)).find(module)
                .orElseThrow(() -> new AssertionError("no module " + module + " on " + modulePath()))
                .descriptor();
    }

    /** The module as built, then its runtime dependencies. */
    static List<Path> modulePath() {
        List<Path> path = new ArrayList<>();
        path.add(CLASSES);
        path.addAll(dependencies());
        return path;
    }

    /** The module's runtime dependencies, {@code pulse-stats} first (the list maven-dependency-plugin wrote). */
    static List<Path> dependencies() {
        String file = System.getProperty("pulse.module.dependencies");
        assertNotNull(file, "pulse.module.dependencies (set by pulse-core's pom.xml)");
        try {
            return Stream.of(Files.readString(Path.of(file)).strip().split(java.io.File.pathSeparator))
                    .map(Path::of)
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** A public top-level class of {@code pkg}, as the module holds it. */
    private static String publicClassOf(String pkg) throws IOException {
        String module = pkg.startsWith("dev.pulse.stats") ? "dev.pulse.stats" : "dev.pulse.core";
        String folder = pkg.replace('.', '/') + "/";
        List<String> names;
        try (ModuleReader reader = ModuleFinder.of(modulePath().toArray(Path[]::new)).find(module).orElseThrow().open();
             Stream<String> entries = reader.list()) {
            names = entries.filter(name -> name.startsWith(folder) && name.endsWith(".class")
                            && name.indexOf('/', folder.length()) < 0 && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        }
        for (String name : names) {
            try {
                if (Modifier.isPublic(Class.forName(name, false, ModuleBoundaryTest.class.getClassLoader()).getModifiers())) {
                    return name;
                }
            } catch (ClassNotFoundException e) {
                throw new AssertionError(name, e);
            }
        }
        throw new AssertionError("no public class in " + pkg + ": " + names);
    }

    private void write(String name, String text) throws IOException {
        Path file = dir.resolve("src").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private List<Diagnostic<? extends JavaFileObject>> compile() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the JDK's compiler");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(dir.resolve("src"))) {
            sources = files.filter(file -> file.toString().endsWith(".java")).toList();
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            // an empty class path: javac's default is this JVM's, which holds every Pulse class
            Files.createDirectories(dir.resolve("empty"));
            List<String> options = List.of("-d", dir.resolve("out").toString(), "--release", "17", "-proc:none",
                    "--class-path", dir.resolve("empty").toString(),
                    "--module-path", modulePath().stream().map(Path::toString)
                            .collect(Collectors.joining(java.io.File.pathSeparator)));
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }
}
