package dev.pulse.model;

import java.util.List;
import java.util.Objects;

/** Where a source's rows come from: files, a table, or a SELECT query. */
public sealed interface Relation {

    /** The formats a {@link Files} source can be read as. */
    enum FileFormat {
        CSV,
        PARQUET
    }

    /**
     * A CSV or Parquet file, or a glob of them. {@code location} is absolute (relative paths in the
     * config are resolved against the config file's folder).
     */
    record Files(String location, FileFormat format) implements Relation {
        public Files {
            Objects.requireNonNull(location);
            Objects.requireNonNull(format);
        }
    }

    /** A table or view, possibly qualified: {@code analytics.exposures} is {@code [analytics, exposures]}. */
    record Table(List<String> nameParts) implements Relation {
        public Table {
            nameParts = List.copyOf(nameParts);
            if (nameParts.isEmpty()) {
                throw new IllegalArgumentException("a table needs a name");
            }
        }
    }

    /** One SELECT statement, trusted like SQL the user runs; only ever wrapped, never spliced. */
    record Query(String sql) implements Relation {
        public Query {
            Objects.requireNonNull(sql);
        }
    }
}
