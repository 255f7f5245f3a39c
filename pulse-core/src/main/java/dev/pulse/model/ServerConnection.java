package dev.pulse.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach a warehouse server (PostgreSQL). The password is never part of the config: only the
 * name of the environment variable that holds it.
 *
 * @param url              the JDBC URL, such as {@code jdbc:postgresql://127.0.0.1:5432/analytics}
 * @param user             the role to log in as; empty: the driver's default
 * @param passwordVariable the environment variable holding the password; empty: no password is sent
 *                         (trust, peer or {@code .pgpass} authentication)
 */
public record ServerConnection(String url, Optional<String> user, Optional<String> passwordVariable) {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ServerConnection {
        Objects.requireNonNull(url);
        Objects.requireNonNull(user);
        Objects.requireNonNull(passwordVariable);
        if (url.isBlank()) {
            throw new IllegalArgumentException("a server connection needs a URL");
        }
        passwordVariable.ifPresent(name -> {
            if (!isVariableName(name)) {
                throw new IllegalArgumentException("not an environment variable name: " + name);
            }
        });
    }

    /** Whether {@code name} can be an environment variable's name: letters, digits and '_', not starting with a digit. */
    public static boolean isVariableName(String name) {
        return VARIABLE.matcher(name).matches();
    }
}
