package dev.pulse.model;

/** The warehouse engines Pulse can run its SQL on. */
public enum Engine {
    DUCKDB,
    POSTGRES,
    SPARK
}
