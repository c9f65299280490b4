package dev.cutover.host;

import java.nio.file.Path;
import java.util.Map;

/**
 * The operator's environment variables and home directory, as libpq and OpenSSH would see them:
 * PG* variables, ~/.pgpass, ~/.pg_service.conf, ~/.ssh/config, SSH_AUTH_SOCK. One object the
 * session holds, so tests point it at a temp home and an environment of their own instead of
 * reading (or changing) the machine's.
 *
 * @param variables environment variables
 * @param home      the home directory: {@code cutover.home} when set, else {@code user.home}
 */
public record OperatorEnvironment(Map<String, String> variables, Path home) {
    public OperatorEnvironment {
        variables = Map.copyOf(variables);
    }

    /** This process's environment and home. */
    public static OperatorEnvironment system() {
        return new OperatorEnvironment(System.getenv(), Path.of(System.getProperty("cutover.home", System.getProperty("user.home"))));
    }

    public String get(String name) {
        return variables.get(name);
    }
}
