package dev.pulse.model;

/** The name of an ID type, such as org_id or user_id. */
public record IdType(String value) implements Comparable<IdType> {
    public IdType {
        Name.check("IdType", value);
    }

    @Override
    public int compareTo(IdType other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
