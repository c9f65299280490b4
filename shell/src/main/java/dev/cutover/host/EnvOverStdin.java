package dev.cutover.host;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Environment variables (passwords) for a command behind a boundary that does not carry them:
 * an SSH exec channel (sshd accepts almost no variables) or sudo (which resets the environment).
 * The values travel first on the command's standard input, one line each, read by a small shell
 * prologue before the command starts: never on a command line that {@code ps} shows. Whatever the
 * command itself reads from stdin follows them ({@code read} takes exactly one line from a pipe).
 */
final class EnvOverStdin {
    private EnvOverStdin() {
    }

    /** {@code IFS= read -r NAME; export NAME; ...} for each variable, ready to be followed by the command. */
    static String prologue(Map<String, String> env) {
        StringBuilder script = new StringBuilder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("environment variable name '" + e.getKey() + "' cannot be passed to a remote command");
            }
            if (e.getValue().indexOf('\n') >= 0 || e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("the value of " + e.getKey() + " holds a line break and cannot be passed to a remote command");
            }
            script.append("IFS= read -r ").append(e.getKey()).append("; export ").append(e.getKey()).append("; ");
        }
        return script.toString();
    }

    /** The values, one line each, then the command's own input (if any). */
    static InputStream stdin(Map<String, String> env, InputStream rest) {
        StringBuilder values = new StringBuilder();
        env.values().forEach(v -> values.append(v).append('\n'));
        InputStream head = new ByteArrayInputStream(values.toString().getBytes(StandardCharsets.UTF_8));
        return rest == null ? head : new SequenceInputStream(head, rest);
    }
}
