import io.trino.plugin.memory.MemoryPlugin;
import io.trino.server.testing.TestingTrinoServer;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * Starts a one-node Trino (coordinator and worker in one JVM) with the memory connector as catalog {@code memory},
 * prints {@code PULSE_TRINO_URL=jdbc:trino://host:port} on stdout, and stops when stdin closes, so a test JVM
 * that dies never leaves a Trino behind. Run by Java 25 in source-file mode: {@code java -cp <trino classpath>
 * TrinoLauncher.java}; nothing here is compiled by the Java 17 build.
 */
public final class TrinoLauncher {
    public static void main(String[] args) throws Exception {
        // Trino's logging replaces System.out once the server starts; keep the real one for the URL.
        PrintStream out = System.out;
        TestingTrinoServer server = TestingTrinoServer.builder()
                .setProperties(Map.of(
                        // Small: the tests load kilobytes.
                        "query.max-memory", "256MB",
                        "query.max-memory-per-node", "256MB"))
                .build();
        server.installPlugin(new MemoryPlugin());
        server.createCatalog("memory", "memory", Map.of("memory.max-data-per-node", "256MB"));
        out.println("PULSE_TRINO_URL=jdbc:trino://" + server.getAddress());
        out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // Wait for EOF: the parent closed our stdin or died.
        }
        server.close();
        System.exit(0);
    }
}
