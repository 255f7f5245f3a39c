package dev.pulse.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * How Pulse reaches BigQuery through Google's client library. Credentials are never part of the config: the
 * library finds them (Application Default Credentials: {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code gcloud auth
 * application-default login}, or the attached service account).
 *
 * @param project            the project that runs (and pays for) the query jobs
 * @param location           where the jobs run ({@code US}, {@code EU}, {@code europe-west1}); empty: BigQuery
 *                           picks it from the tables read
 * @param dataset            the default dataset: unqualified table names resolve in it, and Pulse's own tables
 *                           are written to it unless named otherwise
 * @param labels             job labels for cost attribution, each key and value as BigQuery allows them
 * @param maximumBytesBilled the most bytes a job may bill; a job that would bill more fails before it runs
 */
public record BigQuerySettings(String project, Optional<String> location, Optional<String> dataset,
                               Map<String, String> labels, OptionalLong maximumBytesBilled) {
    /** BigQuery's label keys: lower-case letters first, then lower-case letters, digits, '_' and '-', up to 63. */
    private static final Pattern LABEL_KEY = Pattern.compile("\\p{Ll}[\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}");
    /** Label values: the same characters, may start with any of them, may be empty, up to 63. */
    private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}");
    /** Project IDs: 6–30 lower-case letters, digits and '-' (a domain-scoped project has {@code domain:} first). */
    private static final Pattern PROJECT = Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
    /** Dataset names: letters, digits and '_', up to 1024. */
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
    /** Labels per job (BigQuery allows 64). */
    public static final int MAX_LABELS = 64;

    public BigQuerySettings {
        Objects.requireNonNull(project);
        Objects.requireNonNull(location);
        Objects.requireNonNull(dataset);
        Objects.requireNonNull(maximumBytesBilled);
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        if (!isProject(project)) {
            throw new IllegalArgumentException("not a BigQuery project ID: " + project);
        }
        dataset.ifPresent(name -> {
            if (!isDataset(name)) {
                throw new IllegalArgumentException("not a BigQuery dataset name: " + name);
            }
        });
        location.ifPresent(place -> {
            if (place.isBlank()) {
                throw new IllegalArgumentException("a blank location");
            }
        });
        if (labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("at most " + MAX_LABELS + " labels: " + labels.size());
        }
        labels.forEach((key, value) -> {
            if (!isLabelKey(key) || !isLabelValue(value)) {
                throw new IllegalArgumentException("not a BigQuery label: " + key + ": " + value);
            }
        });
        if (maximumBytesBilled.isPresent() && maximumBytesBilled.getAsLong() <= 0) {
            throw new IllegalArgumentException("maximum bytes billed must be positive: " + maximumBytesBilled.getAsLong());
        }
    }

    /** Settings with only a project: no location, dataset, labels or limit. */
    public static BigQuerySettings ofProject(String project) {
        return new BigQuerySettings(project, Optional.empty(), Optional.empty(), Map.of(), OptionalLong.empty());
    }

    public static boolean isProject(String text) {
        return PROJECT.matcher(text).matches();
    }

    public static boolean isDataset(String text) {
        return DATASET.matcher(text).matches();
    }

    public static boolean isLabelKey(String text) {
        return LABEL_KEY.matcher(text).matches();
    }

    public static boolean isLabelValue(String text) {
        return LABEL_VALUE.matcher(text).matches();
    }
}
