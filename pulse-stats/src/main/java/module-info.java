/**
 * Pulse's statistics. Internal to Pulse, like every package but the Java API's, so exported to {@code dev.pulse.core}
 * alone: a program on the module path reaches the statistics through {@code dev.pulse.api} only
 * (docs/java-api.md#modules). The CLI, which uses it too, runs on the class path, where this descriptor is ignored.
 */
module dev.pulse.stats {
    exports dev.pulse.stats to dev.pulse.core;

    // commons-math3 3.6.1, its last release, has no Automatic-Module-Name: its name comes from its jar's file name,
    // commons-math3-3.6.1.jar, as Maven and Gradle lay it out (docs/java-api.md#modules).
    requires commons.math3;
}
