package dev.cutover.host;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import dev.cutover.spi.Cancellation;

/**
 * A command to run on a host.
 *
 * @param argv    the program and its arguments, each passed as one argument whatever it contains
 * @param display how the command is shown (secrets already masked by the caller)
 * @param timeout null = none
 * @param stdout  receives each stdout line as it arrives (may be null)
 * @param stderr  receives each stderr line as it arrives (may be null)
 * @param env     extra environment (passwords travel here, never on a command line)
 * @param stdin   fed to the command's standard input, or null for none
 */
public record ExecRequest(List<String> argv, String display, Duration timeout, Consumer<String> stdout,
                          Consumer<String> stderr, Cancellation cancellation, Map<String, String> env, InputStream stdin) {

    public ExecRequest(List<String> argv, String display, Duration timeout, Consumer<String> stdout,
                       Consumer<String> stderr, Cancellation cancellation, Map<String, String> env) {
        this(argv, display, timeout, stdout, stderr, cancellation, env, null);
    }

    /** {@code bash -c script}: for operator-written shell lines. */
    public static ExecRequest shell(String script, Duration timeout, Consumer<String> out, Consumer<String> err,
                                    Cancellation cancellation) {
        return new ExecRequest(List.of("bash", "-c", script), script, timeout, out, err, cancellation, Map.of());
    }

    /** Program and arguments, shown quoted. */
    public static ExecRequest of(List<String> argv, Duration timeout, Consumer<String> out, Consumer<String> err,
                                 Cancellation cancellation) {
        return new ExecRequest(argv, ShellQuote.join(argv), timeout, out, err, cancellation, Map.of());
    }

    public ExecRequest withEnv(Map<String, String> extra) {
        return new ExecRequest(argv, display, timeout, stdout, stderr, cancellation, extra, stdin);
    }

    public ExecRequest withStdin(InputStream in) {
        return new ExecRequest(argv, display, timeout, stdout, stderr, cancellation, env, in);
    }
}
