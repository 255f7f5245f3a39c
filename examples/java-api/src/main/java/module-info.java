/**
 * The example program as a module: it requires Pulse's module, {@code dev.pulse.core}, which exports the Java API
 * ({@code dev.pulse.api}, {@code dev.pulse.error}) and nothing else, so this program cannot compile against Pulse's
 * internals (docs/java-api.md#modules). The build compiles it and runs its tests on the module path.
 */
module dev.pulse.examples {
    requires dev.pulse.core;
}
