package dev.pulse.sql.dialect;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.sql.Dialect;

/** The dialect of each engine: the one place that maps engine to SQL flavour. */
public final class Dialects {

    private Dialects() {}

    /**
     * The dialect of {@code engine}.
     *
     * @throws PulseException SQL_UNSUPPORTED for engines whose dialect is not written yet
     */
    public static Dialect forEngine(Engine engine) {
        return switch (engine) {
            case DUCKDB -> DuckDbDialect.DEFAULT;
            case POSTGRES -> PostgresDialect.DEFAULT;
            case SPARK -> throw new PulseException(PulseException.Category.SQL_UNSUPPORTED,
                    "no SQL dialect for engine " + engine.name().toLowerCase(java.util.Locale.ROOT) + " yet");
        };
    }
}
